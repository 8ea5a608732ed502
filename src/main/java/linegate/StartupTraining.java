package linegate;

import linegate.config.LinegateConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * The start-up the launcher records its start-up cache from (JDK 25+, {@code -XX:AOTCacheOutput}; docs/operations.md,
 * "Start-up"): the command line built once, then a node started as {@code serve} starts one, on a fresh SQLite file in
 * the given folder (migrated from empty) and a free port, asked {@code GET /health} until it answers 200, and stopped.
 * The JVM then keeps the classes this loaded, loaded and linked, for later starts.
 * <p>
 * Nothing of the operator's configuration is read: no database, key or Meta address of theirs is touched. The master
 * key is random and thrown away with the folder, and Meta's address is a closed local port that no send reaches.
 * Usage: {@code java -XX:AOTCacheOutput=FILE -cp linegate.jar linegate.StartupTraining FOLDER}
 */
public final class StartupTraining {
    /** A node that is not UP by then will not be: the training fails and the launcher starts without a cache. */
    static final Duration WITHIN = Duration.ofSeconds(60);

    private StartupTraining() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: linegate.StartupTraining FOLDER (an empty folder of its own, removed afterwards)");
            System.exit(2);
        }
        train(Path.of(args[0]), Clock.systemUTC());
        // the JVM writes the cache as it exits
        System.exit(0);
    }

    /** What the training saw: the port the node served on and its {@code /health} answer (status line first). */
    record Trained(int port, String health) {
    }

    /** Returns once the node answered {@code /health} with 200; the node is stopped by then. */
    static Trained train(Path folder, Clock clock) {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        // the command line's model of every command, as every start builds it
        Main.run(new String[] {"--version"}, Map.of(), discard, discard);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        LinegateConfig config = LinegateConfig.fromEnvironment(Map.of(
                "LINEGATE_PORT", "0",
                "LINEGATE_DB_URL", "jdbc:sqlite:" + folder.resolve("training.db"),
                "LINEGATE_MASTER_KEY", Base64.getEncoder().encodeToString(key),
                "LINEGATE_GRAPH_URL", "http://127.0.0.1:9"));
        try (Linegate node = Linegate.start(config, clock)) {
            return new Trained(node.port(), awaitHealthy(node.port(), clock));
        }
    }

    private static String awaitHealthy(int port, Clock clock) {
        Instant giveUp = clock.instant().plus(WITHIN);
        String last = "no answer";
        while (clock.instant().isBefore(giveUp)) {
            try {
                last = health(port);
                if (last.startsWith("HTTP/1.1 200")) {
                    return last;
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("the training node did not answer /health with 200 within " + WITHIN.toSeconds()
                + " s (last: " + last.lines().findFirst().orElse("") + ")");
    }

    /** {@code GET /health} over a plain socket: the training loads no HTTP client that {@code serve} does not. */
    private static String health(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = socket.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
