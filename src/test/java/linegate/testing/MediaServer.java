package linegate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server standing in for a CRM's media host: each path answers HEAD and ranged GET as told (status, type,
 * size, a redirect, silence), and every request that reaches it is recorded, with its method, Range and Host headers
 * and the local address it came in on.
 */
public final class MediaServer implements AutoCloseable {
    /**
     * How one path answers. {@code headStatus} and {@code getStatus} are the statuses of HEAD and GET (a GET with
     * {@code Range: bytes=0-0} to a 2xx path answers 206 with {@code Content-Range: bytes 0-0/size}); {@code size}
     * null states no size; {@code location} makes it a redirect; {@code silentFor} holds the answer back.
     */
    public record Answer(int headStatus, int getStatus, String type, Long size, String location, Duration silentFor,
                         boolean sizeOnHead) {
        public static Answer file(String type, long size) {
            return new Answer(200, 200, type, size, null, Duration.ZERO, true);
        }

        public static Answer status(int status) {
            return new Answer(status, status, "text/html", 20L, null, Duration.ZERO, true);
        }

        public static Answer redirect(int status, String location) {
            return new Answer(status, status, null, null, location, Duration.ZERO, true);
        }

        public static Answer silent(Duration howLong) {
            return new Answer(200, 200, "image/png", 10L, null, howLong, true);
        }

        /** HEAD answers {@code status}; the ranged GET answers as the file does. */
        public Answer headRefused(int status) {
            return new Answer(status, getStatus, type, size, location, silentFor, sizeOnHead);
        }

        /** HEAD answers 200 without Content-Length; only the ranged GET's Content-Range says the size. */
        public Answer sizeOnlyOnRangedGet() {
            return new Answer(headStatus, getStatus, type, size, location, silentFor, false);
        }
    }

    /** One request that reached the server. */
    public record Hit(String method, String path, String query, String range, String host, String localAddress) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Hit> hits = new CopyOnWriteArrayList<>();

    private MediaServer(HttpServer server) {
        this.server = server;
    }

    /** Listens on {@code bindAddress} (127.0.0.1, or 0.0.0.0 for every loopback address) on a free port. */
    public static MediaServer start(String bindAddress) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(bindAddress, 0), 64);
            MediaServer media = new MediaServer(s);
            s.createContext("/", media::handle);
            s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            s.start();
            return media;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void answer(String path, Answer answer) {
        answers.put(path, answer);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public List<Hit> hits() {
        return List.copyOf(hits);
    }

    public List<Hit> hits(String path) {
        return hits.stream().filter(h -> h.path().equals(path)).toList();
    }

    public void reset() {
        answers.clear();
        hits.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            String range = exchange.getRequestHeaders().getFirst("Range");
            hits.add(new Hit(method, path, exchange.getRequestURI().getRawQuery(), range,
                    exchange.getRequestHeaders().getFirst("Host"), exchange.getLocalAddress().getAddress().getHostAddress()));
            Answer a = answers.getOrDefault(path, Answer.status(404));
            if (!a.silentFor().isZero()) {
                try {
                    Thread.sleep(a.silentFor());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            boolean head = method.equals("HEAD");
            int status = head ? a.headStatus() : a.getStatus();
            if (a.location() != null) {
                exchange.getResponseHeaders().set("Location", a.location());
            }
            if (a.type() != null) {
                exchange.getResponseHeaders().set("Content-Type", a.type());
            }
            boolean ranged = !head && "bytes=0-0".equals(range) && status == 200 && a.size() != null;
            if (ranged) {
                exchange.getResponseHeaders().set("Content-Range", "bytes 0-0/" + a.size());
                exchange.sendResponseHeaders(206, 1);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write('x');
                }
                return;
            }
            if (head) {
                if (a.size() != null && a.sizeOnHead()) {
                    exchange.getResponseHeaders().set("Content-Length", Long.toString(a.size()));
                }
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            byte[] body = "<html>not the file</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
