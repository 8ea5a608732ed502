package linegate.http;

import com.fasterxml.jackson.databind.JsonNode;
import linegate.api.StatusCode;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.RawHttp;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A few thousand malformed requests from a seeded generator (methods, paths, versions, headers, framing, encodings,
 * content types, JSON, form and multipart bodies), each over its own socket to the real server. Every answer is a
 * documented status_code in the envelope (or one of the few plain answers of /health, /metrics and the webhook), never
 * a 500, never HTML, and comes within a fixed time; a request cut short may instead lose its connection.
 * The seed is printed; {@code -Dlinegate.fuzz.seed=N} replays a run, and each failure names its request's index.
 */
class MalformedRequestFuzzTest {
    private static final int REQUESTS = 3000;
    private static final Duration PER_REQUEST = Duration.ofSeconds(10);
    private static final Set<Integer> DOCUMENTED = Arrays.stream(StatusCode.values())
            .filter(c -> c != StatusCode.INTERNAL_ERROR).map(StatusCode::code).collect(Collectors.toSet());
    private static final String[] PATHS = {"/api/v2/MakeInstagram.php", "/api/v2/MakeInstagram", "/api/v2/MakeMessenger.php",
            "/api/v2/MessageStatus.php", "/api/v2/MessageStatus", "/api/v2/Nope.php", "/api/", "/api", "/health", "/metrics",
            "/webhooks/meta", "/", "/index.html", "/api/v2/MakeInstagram.php/", "//api/v2/MakeInstagram.php",
            "/API/V2/MAKEINSTAGRAM.PHP", "/api/v2/../v2/MakeInstagram.php", "/api/v2/%2e%2e/x", "/api/v2/Make%00Instagram.php",
            "/api/v2/MakeInstagram.php%", "/api/v2/Make%zzInstagram", "/api/v2/MakeInstagram.php;x=1", "*", "http://a/health"};
    private static final String[] METHODS = {"POST", "POST", "POST", "GET", "GET", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH",
            "TRACE", "CONNECT", "BREW", "post", "P\u00d6ST", "", "GET GET", "X".repeat(300)};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/0.9",
            "HTTP/1.2", "HTTP/11", "http/1.1", "HTTP/1.1 extra", ""};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json", "application/json; charset=utf-8",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=bnd", "multipart/form-data",
            "multipart/form-data; boundary=", "multipart/form-data; boundary=\"a b\"", "text/plain", "application/xml",
            "application/json; charset=utf-16", "application/json; charset=nope", ";;;", "application/json\u0000",
            "\u00ff\u00fe", "*/*", "application/x-www-form-urlencoded; charset=latin1"};

    @Test
    void answersEveryMalformedRequestWithADocumentedCode(@TempDir Path tmp) throws Exception {
        long seed = Long.getLong("linegate.fuzz.seed", System.nanoTime());
        System.out.println("MalformedRequestFuzzTest seed: " + seed + " (replay with -Dlinegate.fuzz.seed=" + seed + ")");
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp, Gateway.env("LINEGATE_REQUEST_READ_TIMEOUT_MS", "1000"))) {
            gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
            int port = URI.create(gw.baseUrl()).getPort();
            List<String> failures = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    int index = i;
                    results.add(pool.submit(() -> check(gw, port, seed, index)));
                }
                for (Future<String> r : results) {
                    String failure = r.get();
                    if (failure != null) {
                        failures.add(failure);
                    }
                }
            }
            assertThat(failures).as("seed %d: %d of %d requests", seed, failures.size(), REQUESTS).isEmpty();
            assertThat(gw.get("/health").status()).isEqualTo(200);
        }
    }

    /** Null when the answer is acceptable, else what was wrong and the request that caused it. */
    private static String check(Gateway gw, int port, long seed, int index) {
        Random random = new Random(seed * 1_000_003L + index);
        Request request = generate(random, gw);
        RawHttp.Answer a;
        try {
            a = RawHttp.exchange(port, request.bytes(), PER_REQUEST);
        } catch (AssertionError noAnswerInTime) {
            return "#" + index + " no answer within " + PER_REQUEST + ": " + RawHttp.printable(request.bytes());
        }
        String why = judge(request, a);
        return why == null ? null : "#" + index + " " + why + ", got " + a.status() + " " + a.headers().get("Content-Type")
                + " " + abbreviated(a.body()) + " for: " + RawHttp.printable(request.bytes());
    }

    private static String judge(Request request, RawHttp.Answer a) {
        if (a.closedWithoutAnswer()) {
            if (a.body().toLowerCase(Locale.ROOT).contains("<html")) {
                return "HTML without a status line";
            }
            return request.mayGoUnanswered() ? null : "closed without an answer";
        }
        String body = a.body().toLowerCase(Locale.ROOT);
        String type = a.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (a.status() == 500 || body.contains("<html") || body.contains("<body") || type.contains("html")) {
            return "a 500 or HTML";
        }
        if (body.contains("exception") || body.contains("\tat ") || body.contains("jetty")) {
            return "Java or Jetty internals";
        }
        if (request.method().equals("HEAD") || a.status() == 204 || a.status() == 304) {
            return null;
        }
        if (plainAnswer(request, a, type)) {
            return null;
        }
        JsonNode json = a.json();
        if (json == null || !json.path("return").has("status_code")) {
            return "not the envelope";
        }
        int code = json.path("return").path("status_code").asInt();
        if (!DOCUMENTED.contains(code)) {
            return "an undocumented status_code " + code;
        }
        int expectedHttp = StatusCode.of(code).httpStatus();
        return a.status() == expectedHttp ? null : "HTTP " + a.status() + " for status_code " + code;
    }

    /** The few answers that are not the envelope by design: health, metrics, and Meta's webhook endpoint. */
    private static boolean plainAnswer(Request request, RawHttp.Answer a, String type) {
        // an absolute-form target (RFC 9112 §3.2.2) names the same resource as its path
        String path = request.path().replaceFirst("^https?://[^/]*", "").split("\\?")[0];
        return switch (path) {
            case "/health" -> (a.status() == 200 || a.status() == 503) && a.json() != null && a.json().has("status");
            case "/metrics" -> a.status() == 200 && type.startsWith("text/plain");
            case "/webhooks/meta" -> (a.status() == 200 || a.status() == 403) && type.startsWith("text/plain");
            default -> false;
        };
    }

    private static String abbreviated(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private record Request(String method, String path, byte[] bytes, boolean mayGoUnanswered) {
    }

    // ---- the generator ----

    private static Request generate(Random r, Gateway gw) {
        String method = pick(r, METHODS);
        String path = path(r);
        String version = pick(r, VERSIONS);
        byte[] body = body(r, gw);
        List<String> headers = new ArrayList<>();
        if (r.nextInt(20) != 0) {
            headers.add("Host: 127.0.0.1");
        }
        headers.add("Connection: close");
        if (r.nextInt(6) != 0) {
            headers.add("Content-Type: " + pick(r, CONTENT_TYPES));
        }
        if (r.nextInt(5) == 0) {
            headers.add("Authorization: " + pick(r, new String[]{"Bearer " + gw.tsid, "Bearer", "Bearer lgt_nope", "Basic eDp5",
                    "Bearer " + "t".repeat(5000)}));
        }
        boolean mayGoUnanswered = false;
        boolean chunked = false;
        boolean declaredMore = false;
        switch (r.nextInt(14)) {
            case 0 -> {
                // no Content-Length: no body as far as HTTP/1.1 is concerned; the bytes become a next request
            }
            case 1 -> { // the body is cut short: the server waits for the rest until the read deadline
                headers.add("Content-Length: " + (body.length + 1 + r.nextInt(100)));
                declaredMore = true;
            }
            case 2 -> headers.add("Content-Length: " + Math.max(0, body.length - 1 - r.nextInt(Math.max(1, body.length))));
            case 3 -> headers.addAll(List.of("Content-Length: " + body.length, "Content-Length: " + (body.length + 1)));
            case 5 -> {
                headers.add("Content-Length: " + pick(r, new String[]{"abc", "1e3", "0x10", "99999999999999999999", " ", "1,2"}));
                declaredMore = true; // Jetty may read "1,2" as a list, or the huge value as a length to wait for
            }
            case 4 -> headers.add("Content-Length: -" + body.length);
            case 6 -> headers.addAll(List.of("Content-Length: " + body.length, "Transfer-Encoding: chunked"));
            case 7, 8 -> {
                headers.add("Transfer-Encoding: " + pick(r, new String[]{"chunked", "chunked", "gzip, chunked", "gzip", "identity", "chunked, chunked"}));
                chunked = true;
            }
            default -> headers.add("Content-Length: " + body.length);
        }
        if (r.nextInt(8) == 0) {
            headers.add(badHeader(r));
        }
        if (r.nextInt(40) == 0) {
            headers.add("X-Big: " + "b".repeat(9_000 + r.nextInt(20_000)));
        }
        if (r.nextInt(15) == 0) {
            headers.add(pick(r, new String[]{"Expect: 100-continue", "Expect: nonsense", "Content-Encoding: gzip",
                    "Upgrade: h2c", "Connection: Upgrade, HTTP2-Settings", "Accept: text/html", "Range: bytes=0-1"}));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String requestLine = method + " " + path + (version.isEmpty() ? "" : " " + version);
        if (r.nextInt(50) == 0) {
            requestLine = requestLine.replace(" ", pick(r, new String[]{"\t", "  ", "\u0000", ""}));
        }
        write(out, requestLine + "\r\n");
        Collections.shuffle(headers, r);
        headers.forEach(h -> write(out, h + (r.nextInt(60) == 0 ? "\n" : "\r\n")));
        write(out, "\r\n");
        if (chunked) {
            writeChunked(r, out, body);
        } else {
            out.writeBytes(body);
        }
        byte[] bytes = out.toByteArray();
        if (r.nextInt(25) == 0) {
            // the client stops sending (after at least one byte: a silent connection is Jetty's idle timeout's business)
            bytes = Arrays.copyOf(bytes, 1 + r.nextInt(bytes.length));
            mayGoUnanswered = true;
        }
        if (r.nextInt(40) == 0) {
            bytes = tlsHello(r);
        }
        // a request still waiting for bytes that will never come may end with the server closing the connection
        mayGoUnanswered |= declaredMore || chunked || !(version.equals("HTTP/1.1") || version.equals("HTTP/1.0"))
                || headers.stream().anyMatch(h -> h.startsWith("Expect"));
        return new Request(method, path, bytes, mayGoUnanswered);
    }

    private static String path(Random r) {
        String path = pick(r, PATHS);
        if (r.nextInt(4) == 0) {
            path += "?" + query(r);
        }
        if (r.nextInt(60) == 0) {
            path += "/" + "p".repeat(8_000 + r.nextInt(10_000));
        }
        return path;
    }

    private static String query(Random r) {
        StringBuilder q = new StringBuilder();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            q.append(i == 0 ? "" : "&").append(pick(r, new String[]{"tsid", "app_id", "cdls_id", "msg_id", "dest", "x", "%zz", ""}))
                    .append(pick(r, new String[]{"=1", "=1e999999999", "=%", "=%00", "=%C3", "", "==", "=\u00e9", "=" + "9".repeat(40)}));
        }
        return q.toString();
    }

    private static byte[] body(Random r, Gateway gw) {
        return switch (r.nextInt(10)) {
            case 0, 1, 2 -> mutatedJson(r, gw).getBytes(StandardCharsets.UTF_8);
            case 3 -> randomBytes(r, r.nextInt(200));
            case 4 -> ("tsid=" + pick(r, new String[]{gw.tsid, "x", "%zz", "%00"}) + "&app_id=" + pick(r, new String[]{
                    Long.toString(gw.lineId), "1e9999", "-1", "%", ""}) + "&dest=1254477777772919&mdata=" + pick(r, new String[]{
                    "hi", "%E2%82", "%00", "a+b", "x".repeat(2000)})).getBytes(StandardCharsets.UTF_8);
            case 5 -> multipart(r, gw);
            case 6 -> new byte[0];
            case 7 -> nested(r).getBytes(StandardCharsets.UTF_8);
            default -> mutate(r, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\"").getBytes(StandardCharsets.UTF_8));
        };
    }

    private static String mutatedJson(Random r, Gateway gw) {
        String appId = pick(r, new String[]{Long.toString(gw.lineId), "1e999999999", "1e2147483647", "-0", "1.5", "\"1\"",
                "true", "null", "[]", "{}", "9".repeat(1200), "0x1", "1E-7", "\"" + gw.lineId + "\u0000\""});
        String dest = pick(r, new String[]{"\"1254477777772919\"", "1254477777772919", "1e999999999", "\"\"", "\"12a\"",
                "12544777e99999999", "[1]", "\"" + "1".repeat(70) + "\""});
        String mdata = pick(r, new String[]{"\"hi\"", "\"\\u0000\"", "\"\\ud800\"", "\"" + "m".repeat(1500) + "\"", "1e99999",
                "{\"a\":1}", "\"\\x\""});
        return "{\"tsid\":\"" + pick(r, new String[]{gw.tsid, "x", "lgt_nope", ""}) + "\",\"app_id\":" + appId
                + ",\"dest\":" + dest + ",\"mdata\":" + mdata + "}";
    }

    private static String nested(Random r) {
        int depth = 1 + r.nextInt(r.nextBoolean() ? 40 : 5000);
        String open = r.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return "{\"tsid\":\"x\",\"pad\":" + open.repeat(depth) + "1" + close.repeat(r.nextInt(5) == 0 ? depth / 2 : depth) + "}";
    }

    private static byte[] multipart(Random r, Gateway gw) {
        StringBuilder b = new StringBuilder();
        int parts = r.nextInt(5);
        for (int i = 0; i < parts; i++) {
            b.append(pick(r, new String[]{"--bnd\r\n", "--bnd\n", "--other\r\n", "bnd\r\n"}))
                    .append(pick(r, new String[]{"Content-Disposition: form-data; name=\"tsid\"\r\n",
                            "Content-Disposition: form-data; name=\"mdata\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n",
                            "Content-Disposition: form-data\r\n", "Content-Disposition: attachment; name=\r\n", "\r\n"}))
                    .append("\r\n").append(pick(r, new String[]{gw.tsid, "x", "\u0000", "1e999999999"})).append("\r\n");
        }
        b.append(pick(r, new String[]{"--bnd--\r\n", "--bnd", "", "--bnd--"}));
        return mutate(r, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] mutate(Random r, byte[] bytes) {
        byte[] out = bytes.clone();
        int flips = r.nextInt(4);
        for (int i = 0; i < flips && out.length > 0; i++) {
            out[r.nextInt(out.length)] = (byte) pick(r, new int[]{0, 0x7f, 0xff, 0xc3, '"', '{', '}', '\\', ',', '\n', '%', 0x80});
        }
        if (r.nextInt(4) == 0 && out.length > 0) {
            out = Arrays.copyOf(out, r.nextInt(out.length));
        }
        return out;
    }

    private static String badHeader(Random r) {
        return pick(r, new String[]{"X-Nul: a\u0000b", "X-Ctl: a\u0001b", "X-Latin: caf\u00e9", "X-Sp ace: 1", ": empty-name",
                "X-Colon-Less", "X-Fold: a\r\n continued", "Host: a\r\nHost: b", "X-Cr: a\rb", " X-Leading: 1",
                "Content-Type: application/json\r\nContent-Type: text/plain", "X-Del: \u007f"});
    }

    private static void writeChunked(Random r, ByteArrayOutputStream out, byte[] body) {
        int at = 0;
        while (at < body.length) {
            int size = Math.min(body.length - at, 1 + r.nextInt(64));
            String sizeLine = r.nextInt(30) == 0 ? pick(r, new String[]{"zz", "-1", "", "ffffffffffffffff", "1;" + "e".repeat(300)})
                    : Integer.toHexString(size);
            write(out, sizeLine + "\r\n");
            out.write(body, at, size);
            write(out, "\r\n");
            at += size;
        }
        write(out, r.nextInt(20) == 0 ? "" : "0\r\n\r\n");
    }

    private static byte[] tlsHello(Random r) {
        byte[] hello = randomBytes(r, 40 + r.nextInt(200));
        hello[0] = 0x16;
        hello[1] = 0x03;
        hello[2] = (byte) r.nextInt(4);
        return hello;
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }

    private static int pick(Random r, int[] options) {
        return options[r.nextInt(options.length)];
    }
}
