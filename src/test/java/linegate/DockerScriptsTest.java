package linegate;

import linegate.testing.Gateway;
import linegate.testing.Processes;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's two scripts outside an image: deploy/healthcheck.sh against a real node and against answers that are
 * not 200, and deploy/docker-entrypoint.sh with a fake JRE whose {@code java} prints what it was given.
 */
class DockerScriptsTest {
    @TempDir
    Path tmp;

    @Test
    void healthCheckPassesOnAReadyNode() throws Exception {
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp)) {
            assertThat(run(List.of("deploy/healthcheck.sh", gw.baseUrl().substring(gw.baseUrl().lastIndexOf(':') + 1)), Map.of()).exit()).isZero();
        }
    }

    @Test
    void healthCheckAsksTheManagementPortWhenThereIsOneAndTheBindAddress() throws Exception {
        int management = Processes.freePort();
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp, Gateway.env("LINEGATE_MANAGEMENT_PORT",
                String.valueOf(management), "LINEGATE_BIND", "127.0.0.1"))) {
            String main = gw.baseUrl().substring(gw.baseUrl().lastIndexOf(':') + 1);
            Map<String, String> container = Map.of("LINEGATE_PORT", main,
                    "LINEGATE_MANAGEMENT_PORT", String.valueOf(management), "LINEGATE_BIND", "127.0.0.1");

            assertThat(run(List.of("deploy/healthcheck.sh"), container).exit()).isZero();
            // the main port has no /health/ready when a management port is set: asked there, the check fails
            Ran onTheMainPort = run(List.of("deploy/healthcheck.sh"), Map.of("LINEGATE_PORT", main));
            assertThat(onTheMainPort.exit()).isEqualTo(1);
            assertThat(onTheMainPort.output()).contains("answered: HTTP/1.1 404");
        }
    }

    @Test
    void healthCheckFailsOnAClosedPortAndOnA503() throws Exception {
        assertThat(run(List.of("deploy/healthcheck.sh", String.valueOf(Processes.freePort())), Map.of()).exit())
                .isEqualTo(1);

        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    s.getInputStream().read(new byte[1024]);
                    out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the check may already have given up
                }
            });
            Ran r = run(List.of("deploy/healthcheck.sh"), Map.of("LINEGATE_PORT", String.valueOf(server.getLocalPort())));
            answer.join();

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.output()).contains("/health/ready answered: HTTP/1.1 503 Service Unavailable");
        }
    }

    @Test
    void entrypointReadsSecretFilesAndHidesTheirNamesFromLinegate() throws Exception {
        Path key = Files.writeString(tmp.resolve("master_key"), "c2VjcmV0LWtleS1vZi0zMi1ieXRlcy1sb25nLi4uLi4=\n");
        Path password = Files.writeString(tmp.resolve("db_password"), "pw");

        Ran r = run(List.of("deploy/docker-entrypoint.sh", "serve"), Map.of("JAVA_HOME", fakeJre("25.0.1").toString(),
                "LINEGATE_MASTER_KEY_FILE", key.toString(), "LINEGATE_DB_PASSWORD_FILE", password.toString(),
                "LINEGATE_JAVA_OPTS", "-Xmx512m -Dx=1", "LINEGATE_JAR", "/opt/elsewhere/linegate.jar"));

        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains("args: --enable-native-access=ALL-UNNAMED -Xmx288m -XX:+UseCompactObjectHeaders"
                        + " -Xmx512m -Dx=1 -jar /opt/elsewhere/linegate.jar serve")
                .contains("key=c2VjcmV0LWtleS1vZi0zMi1ieXRlcy1sb25nLi4uLi4=|")
                .contains("password=pw|")
                .contains("files=|");
    }

    @Test
    void entrypointLeavesOutCompactHeadersBeforeJava25() throws Exception {
        Ran r = run(List.of("deploy/docker-entrypoint.sh", "--version"), Map.of("JAVA_HOME", fakeJre("21.0.5").toString()));

        assertThat(r.output()).contains("args: --enable-native-access=ALL-UNNAMED -Xmx288m -jar /app/linegate.jar --version");
    }

    @Test
    void entrypointRefusesAKeyGivenTwiceOrAFileItCannotRead() throws Exception {
        Path key = Files.writeString(tmp.resolve("master_key"), "k");
        Map<String, String> twice = Map.of("JAVA_HOME", fakeJre("25").toString(), "LINEGATE_MASTER_KEY", "k",
                "LINEGATE_MASTER_KEY_FILE", key.toString());
        Ran both = run(List.of("deploy/docker-entrypoint.sh", "serve"), twice);
        assertThat(both.exit()).isEqualTo(1);
        assertThat(both.output()).contains("both LINEGATE_MASTER_KEY and LINEGATE_MASTER_KEY_FILE are set")
                .doesNotContain("args:");

        Ran missing = run(List.of("deploy/docker-entrypoint.sh", "serve"), Map.of("JAVA_HOME", fakeJre("25").toString(),
                "LINEGATE_MASTER_KEY_FILE", tmp.resolve("absent").toString()));
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.output()).contains("LINEGATE_MASTER_KEY_FILE names " + tmp.resolve("absent")
                + ", which this container's user (uid");
    }

    record Ran(int exit, String output) {
    }

    private Ran run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("LINEGATE_") || k.equals("JAVA_HOME"));
        pb.environment().putAll(new HashMap<>(env));
        Path out = tmp.resolve("out-" + System.nanoTime());
        Process p = pb.redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), Files.readString(out));
    }

    /** A JRE folder whose java prints its arguments and the variables the entrypoint sets or removes. */
    private Path fakeJre(String version) throws IOException {
        Path home = Files.createDirectories(tmp.resolve("jre-" + version + "-" + System.nanoTime()));
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, """
                #!/bin/sh
                echo "args: $*"
                echo "key=${LINEGATE_MASTER_KEY:-}|"
                echo "password=${LINEGATE_DB_PASSWORD:-}|"
                echo "files=${LINEGATE_MASTER_KEY_FILE:-}${LINEGATE_DB_PASSWORD_FILE:-}${LINEGATE_JAR:-}|"
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }
}
