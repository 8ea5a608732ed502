package linegate.http;

import linegate.testing.Gateway;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of clients connecting in the same instant all get an answer: the listen queue is deep enough that the
 * kernel does not drop connections Jetty has not accepted yet (with Java's default of 50 it did, and the clients saw
 * "connection reset" or an empty answer).
 */
class ConnectionBurstTest {
    private static final int CLIENTS = 6_000;

    @Test
    void everyClientOfABurstOfConnectionsIsAnswered(@TempDir Path tmp) throws Exception {
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp)) {
            int port = Integer.parseInt(gw.baseUrl().replaceAll(".*:", ""));
            Map<String, Integer> outcomes = new ConcurrentHashMap<>();
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.submit(() -> outcomes.merge(healthOverNewConnection(port, go), 1, Integer::sum));
                }
                go.countDown();
            }

            assertThat(outcomes).containsExactly(Map.entry("HTTP/1.1 200 OK", CLIENTS));
        }
    }

    private static String healthOverNewConnection(int port, CountDownLatch go) {
        try {
            go.await();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
                socket.setSoTimeout(20_000);
                OutputStream out = socket.getOutputStream();
                out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = socket.getInputStream();
                String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                return answer.isEmpty() ? "no answer" : answer.substring(0, Math.max(0, answer.indexOf("\r\n")));
            }
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
