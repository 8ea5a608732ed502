import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/GraphStub.java answering at once, which also records what Meta would have received, for bench/queue.sh:
 * each message's text (bench/queue.lua makes every one unique, so a text seen twice is a send made twice) and, per
 * access token (one a line in the bench), each arrival's time. It can hold every request until released, so that a
 * queue fills while Meta does not answer. Control, on the same port:
 *   GET /_count/PREFIX     "received distinct" over the texts starting with PREFIX
 *   GET /_arrivals/PREFIX  one "TOKEN EPOCH_MS" line per arrival whose text starts with PREFIX
 *   PUT /_hang true|false  hold every send from now on / answer the held ones and those after at once
 * Usage: java bench/QueueStub.java PORT
 */
public class QueueStub {
    record Arrival(String token, String text, long at) {
    }

    private static final Pattern TEXT = Pattern.compile("\"text\"\\s*:\\s*\"([^\"]*)\"");
    private static final Map<String, AtomicInteger> TEXTS = new ConcurrentHashMap<>();
    private static final ConcurrentLinkedQueue<Arrival> ARRIVALS = new ConcurrentLinkedQueue<>();
    private static final Object GATE = new Object();
    private static volatile boolean hang;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        AtomicLong ids = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16384);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/_count/", exchange -> {
            String prefix = exchange.getRequestURI().getPath().substring("/_count/".length());
            long received = 0;
            long distinct = 0;
            for (Map.Entry<String, AtomicInteger> e : TEXTS.entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    received += e.getValue().get();
                    distinct++;
                }
            }
            answer(exchange, received + " " + distinct + "\n");
        });
        server.createContext("/_arrivals/", exchange -> {
            String prefix = exchange.getRequestURI().getPath().substring("/_arrivals/".length());
            StringBuilder out = new StringBuilder();
            for (Arrival a : ARRIVALS) {
                if (a.text().startsWith(prefix)) {
                    out.append(a.token()).append(' ').append(a.at()).append('\n');
                }
            }
            answer(exchange, out.toString());
        });
        server.createContext("/_hang", exchange -> {
            boolean on;
            try (InputStream in = exchange.getRequestBody()) {
                on = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().equals("true");
            }
            synchronized (GATE) {
                hang = on;
                GATE.notifyAll();
            }
            answer(exchange, "hang " + on + "\n");
        });
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            synchronized (GATE) {
                while (hang) {
                    try {
                        GATE.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            Matcher m = TEXT.matcher(body);
            String text = m.find() ? m.group(1) : "";
            TEXTS.computeIfAbsent(text, t -> new AtomicInteger()).incrementAndGet();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            ARRIVALS.add(new Arrival(auth == null ? "-" : auth.replace("Bearer ", ""), text, System.currentTimeMillis()));
            byte[] answer = ("{\"recipient_id\":\"1254477777772919\",\"message_id\":\"m_bench_" + ids.incrementAndGet()
                    + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        System.out.println("queue stub on " + port);
    }

    static void answer(HttpExchange exchange, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
