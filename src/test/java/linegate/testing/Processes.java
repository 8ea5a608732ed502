package linegate.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Linegate run as a real process, as an operator runs it (`java ... linegate.Main serve`): the command line, a free port,
 * and the wait for the node to answer {@code /health}. The caller keeps the processes it starts and ends them.
 */
public final class Processes {
    private Processes() {
    }

    /**
     * Starts {@code linegate.Main} with these JVM options and arguments, the test's class path, only the given
     * {@code LINEGATE_*} variables, in {@code dir}, with stdout and stderr into {@code output}.
     */
    public static Process start(Path dir, Map<String, String> env, Path output, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "linegate.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LINEGATE_"));
        pb.environment().putAll(env);
        pb.directory(dir.toFile());
        return pb.start();
    }

    /**
     * SIGKILL, and waits for the process to be gone: no shutdown hook runs, so what the node had committed is all there
     * is. Fails the test when the signal cannot be sent or the process outlives 30 s.
     */
    public static void kill(Process p) throws InterruptedException {
        if (!p.toHandle().destroyForcibly()) {
            throw new AssertionError("SIGKILL could not be sent to process " + p.pid());
        }
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("process " + p.pid() + " outlived SIGKILL by 30 s");
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Waits until the node on {@code port} answers {@code /health} with 200, at most {@code within}; {@code stillUp}
     * fails fast when the process died meanwhile (return false), with {@code why} as the message.
     */
    public static void awaitHealthy(HttpClient http, int port, Duration within, BooleanSupplier stillUp, String why)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!stillUp.getAsBoolean()) {
                throw new AssertionError("the server exited before it became healthy: " + why);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server on port " + port + " did not become healthy: " + why);
    }

    public static void awaitHealthy(HttpClient http, int port, Duration within) throws InterruptedException {
        awaitHealthy(http, port, within, () -> true, "no answer on /health");
    }
}
