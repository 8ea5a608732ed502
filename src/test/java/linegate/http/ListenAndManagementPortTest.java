package linegate.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import linegate.Linegate;
import linegate.config.ConfigException;
import linegate.config.LinegateConfig;
import linegate.testing.Gateway;
import linegate.testing.Processes;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LINEGATE_BIND and LINEGATE_MANAGEMENT_PORT (docs/operations.md, "Management port"), and LINEGATE_SEND_LOG=false.
 */
class ListenAndManagementPortTest {
    @TempDir
    Path tmp;

    @Test
    void withAManagementPortMetricsAndHealthAreServedThereAndNotOnTheMainPort() throws IOException {
        int management = Processes.freePort();
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp, Gateway.env("LINEGATE_MANAGEMENT_PORT",
                Integer.toString(management)))) {
            assertThat(gw.managementUrl()).isEqualTo("http://127.0.0.1:" + management);
            Gateway.Response metrics = get(gw, gw.managementUrl() + "/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.raw()).contains("# TYPE linegate_webhook_backlog gauge");
            assertThat(metrics.headers().firstValue("X-Request-Id")).isPresent();
            assertThat(get(gw, gw.managementUrl() + "/health/ready").status()).isEqualTo(200);
            assertThat(get(gw, gw.managementUrl() + "/health/live").status()).isEqualTo(200);
            assertThat(get(gw, gw.managementUrl() + "/health").raw()).isEqualTo("{\"status\":\"UP\",\"database\":\"UP\"}");

            for (String path : new String[] {"/metrics", "/health", "/health/ready", "/health/live"}) {
                Gateway.Response main = gw.get(path);
                assertThat(main.status()).as(path).isEqualTo(404);
                assertThat(main.statusCode()).as(path).isEqualTo(203);
            }
            assertThat(gw.postJson("/api/v2/MakeInstagram.php", "{}").statusCode()).isEqualTo(100);
            assertThat(get(gw, gw.managementUrl() + "/api/v2/MakeInstagram.php").status()).isEqualTo(404);
        }
    }

    @Test
    void aManagementPortInUseStopsStartUpNamingItsVariable() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            Map<String, String> env = new HashMap<>(TestDb.SQLITE.freshEnv(tmp));
            env.put("LINEGATE_PORT", "0");
            env.put("LINEGATE_MANAGEMENT_PORT", Integer.toString(taken.getLocalPort()));

            assertThatThrownBy(() -> Linegate.start(LinegateConfig.fromEnvironment(env), Clock.systemUTC()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("LINEGATE_MANAGEMENT_PORT " + taken.getLocalPort() + " is already in use by another"
                            + " process: stop that process, or set LINEGATE_MANAGEMENT_PORT to a free port");
        }
    }

    @Test
    void boundToLoopbackTheNodeIsNotReachableOnTheMachinesOtherAddresses() throws IOException {
        Optional<InetAddress> other = otherAddress();
        Assumptions.assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address");
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp, Gateway.env("LINEGATE_BIND", "127.0.0.1"))) {
            int port = Integer.parseInt(gw.baseUrl().substring(gw.baseUrl().lastIndexOf(':') + 1));
            assertThat(gw.get("/health").status()).isEqualTo(200);
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(other.get(), port), 2000);
                }
            }).isInstanceOf(IOException.class);
        }
        try (Gateway all = Gateway.start(TestDb.SQLITE, tmp.resolve("all"), Map.of());
             Socket s = new Socket()) {
            int port = Integer.parseInt(all.baseUrl().substring(all.baseUrl().lastIndexOf(':') + 1));
            s.connect(new InetSocketAddress(other.get(), port), 2000); // the default listens on every address
        }
    }

    @Test
    void withTheSendLogOffASendLogsNoOutcomeLine() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp, Gateway.env("LINEGATE_SEND_LOG", "false"))) {
            assertThat(gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"mdata\":\"x\"")).statusCode())
                    .isEqualTo(220);
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).noneMatch(e -> e.getLoggerName().equals("linegate.sends"));
    }

    private static Gateway.Response get(Gateway gw, String url) {
        return gw.send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private static Optional<InetAddress> otherAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                }).flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()).findFirst();
    }
}
