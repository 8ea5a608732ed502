import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A CRM's callback endpoint for bench/events.sh, on the JDK's HttpServer with virtual threads. Each NAME (one account)
 * keeps the first arrival time (epoch milliseconds, the clock Linegate stamps events with) of every distinct
 * Linegate-Event-Id, and counts repeats and requests whose Linegate-Signature does not verify with its secret.
 * <pre>
 *   POST   /cb/NAME         answers 200 at once, or while NAME hangs reads the request and never answers (Linegate's
 *                           own timeout ends the attempt)
 *   PUT    /_secret/NAME    the body is NAME's signing secret (whsec_...), as `account update` printed it
 *   PUT    /_hang/NAME      the body is "true" (NAME hangs from now on) or "false"
 *   GET    /_count/NAME     "RECEIVED REPEATS BAD_SIGNATURES HUNG"
 *   GET    /_events/NAME    a line "EVENT_ID RECEIVED_AT_MILLIS" per distinct event
 *   DELETE /_events/NAME    forgets NAME's events and counts
 * </pre>
 * Usage: java bench/CallbackReceiver.java PORT
 */
public class CallbackReceiver {
    static final class Endpoint {
        final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
        final LongAdder repeats = new LongAdder();
        final LongAdder badSignatures = new LongAdder();
        final LongAdder hung = new LongAdder();
        volatile byte[] secret;
        volatile boolean hanging;
    }

    static final Map<String, Endpoint> ENDPOINTS = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", CallbackReceiver::handle);
        server.start();
        System.out.println("callback receiver on " + args[0]);
    }

    static void handle(HttpExchange exchange) throws IOException {
        long now = System.currentTimeMillis();
        String[] path = exchange.getRequestURI().getPath().split("/");
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (path.length != 3) {
            answer(exchange, 404, "");
            return;
        }
        Endpoint endpoint = ENDPOINTS.computeIfAbsent(path[2], name -> new Endpoint());
        switch (exchange.getRequestMethod() + " " + path[1]) {
            case "POST cb" -> {
                if (endpoint.hanging) {
                    endpoint.hung.increment();
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return;
                }
                String id = exchange.getRequestHeaders().getFirst("Linegate-Event-Id");
                if (!verifies(endpoint.secret, exchange.getRequestHeaders().getFirst("Linegate-Signature"), body)) {
                    endpoint.badSignatures.increment();
                }
                if (id != null && endpoint.firstArrival.putIfAbsent(id, now) != null) {
                    endpoint.repeats.increment();
                }
                answer(exchange, 200, "");
            }
            case "PUT _secret" -> {
                endpoint.secret = new String(body, StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8);
                answer(exchange, 204, "");
            }
            case "PUT _hang" -> {
                endpoint.hanging = Boolean.parseBoolean(new String(body, StandardCharsets.UTF_8).trim());
                answer(exchange, 204, "");
            }
            case "GET _count" -> answer(exchange, 200, endpoint.firstArrival.size() + " " + endpoint.repeats.sum() + " "
                    + endpoint.badSignatures.sum() + " " + endpoint.hung.sum());
            case "GET _events" -> {
                StringBuilder out = new StringBuilder();
                endpoint.firstArrival.forEach((id, at) -> out.append(id).append(' ').append(at).append('\n'));
                answer(exchange, 200, out.toString());
            }
            case "DELETE _events" -> {
                ENDPOINTS.remove(path[2]);
                ENDPOINTS.computeIfAbsent(path[2], name -> new Endpoint()).secret = endpoint.secret;
                answer(exchange, 204, "");
            }
            default -> answer(exchange, 404, "");
        }
    }

    /** docs/callbacks.md: HMAC-SHA256 keyed with the whole secret over "t." and the raw body; any v1 may match. */
    static boolean verifies(byte[] secret, String header, byte[] body) {
        if (secret == null || header == null) {
            return false;
        }
        String t = null;
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                t = part.substring(2);
            }
        }
        if (t == null) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (String part : header.split(",")) {
            if (part.startsWith("v1=") && MessageDigest.isEqual(expected, HexFormat.of().parseHex(part.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);  // 0 would mean chunked
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
