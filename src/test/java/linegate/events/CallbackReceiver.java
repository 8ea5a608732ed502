package linegate.events;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A CRM's endpoint on loopback, for the delivery tests: records every request (path, headers, body), answers each path
 * as its {@link Behavior} says (a status, after a wait, or never until released), and counts how many requests are in
 * flight per path and per event at once.
 */
final class CallbackReceiver implements AutoCloseable {
    record Received(String path, String host, String eventId, String signature, String contentType, byte[] body,
                    long startedNanos) {
    }

    /** What a path answers a request; may block, to hang or answer slowly. */
    @FunctionalInterface
    interface Behavior extends Function<Received, Integer> {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final Map<String, Behavior> behaviors = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> inFlightByPath = new ConcurrentHashMap<>();
    final Map<String, Integer> maxInFlightByPath = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> inFlightByEvent = new ConcurrentHashMap<>();
    final AtomicInteger overlapsOfOneEvent = new AtomicInteger();
    private final HttpServer server;

    CallbackReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Received r = new Received(path, exchange.getRequestHeaders().getFirst("Host"),
                exchange.getRequestHeaders().getFirst("Linegate-Event-Id"),
                exchange.getRequestHeaders().getFirst("Linegate-Signature"),
                exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody().readAllBytes(),
                System.nanoTime());
        received.add(r);
        int nowInFlight = inFlightByPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        maxInFlightByPath.merge(path, nowInFlight, Math::max);
        if (r.eventId() != null && inFlightByEvent.computeIfAbsent(r.eventId(), e -> new AtomicInteger()).incrementAndGet() > 1) {
            overlapsOfOneEvent.incrementAndGet();
        }
        // a request stops counting as in flight before its answer goes out: once the client has the answer it may
        // post the next one at once, and that one must not overlap this one's count
        int status;
        try {
            status = behaviors.getOrDefault(path, x -> 200).apply(r);
        } catch (RuntimeException e) {
            status = 500;
        } finally {
            inFlightByPath.get(path).decrementAndGet();
            if (r.eventId() != null) {
                inFlightByEvent.get(r.eventId()).decrementAndGet();
            }
        }
        try {
            if (status / 100 == 3) {
                exchange.getResponseHeaders().add("Location", url("/redirected"));
            }
            exchange.sendResponseHeaders(status, -1);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
