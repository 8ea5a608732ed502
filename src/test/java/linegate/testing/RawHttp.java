package linegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One exchange of raw bytes with a server over a socket, for requests no HTTP client would send (broken framing, a
 * TLS hello, a NUL in a header), and the answer as it came: status, headers, body, or that the server closed the
 * connection without answering. Fails when no answer and no close came within the time limit.
 */
public final class RawHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RawHttp() {
    }

    /** The server's answer; {@code status} is -1 when it closed the connection without one. */
    public record Answer(int status, Map<String, List<String>> headers, String body, Duration took) {
        public boolean closedWithoutAnswer() {
            return status < 0;
        }

        public Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        /** The parsed JSON body, or null when it is not JSON. */
        public JsonNode json() {
            try {
                return body.isEmpty() ? null : JSON.readTree(body);
            } catch (IOException notJson) {
                return null;
            }
        }

        public int statusCode() {
            JsonNode json = json();
            return json == null ? -1 : json.path("return").path("status_code").asInt(-1);
        }
    }

    public static Answer exchange(int port, byte[] request, Duration limit) {
        return exchange(port, request, limit, 0, Duration.ZERO);
    }

    /**
     * Sends {@code request}, in pieces of {@code pieceBytes} with {@code pause} between them when pieceBytes is above
     * zero, and reads one answer.
     */
    public static Answer exchange(int port, byte[] request, Duration limit, int pieceBytes, Duration pause) {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) limit.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                if (pieceBytes <= 0) {
                    out.write(request);
                } else {
                    for (int at = 0; at < request.length; at += pieceBytes) {
                        out.write(request, at, Math.min(pieceBytes, request.length - at));
                        out.flush();
                        Thread.sleep(pause);
                    }
                }
                out.flush();
            } catch (SocketException closedWhileSending) {
                // the server answered early and closed, or gave up on us: read what it said
            }
            byte[] answer = readAnswer(socket.getInputStream(), start, limit);
            return parse(answer, Duration.ofNanos(System.nanoTime() - start));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer and no close within " + limit + " for: " + printable(request), e);
        } catch (IOException e) {
            throw new AssertionError("cannot talk to port " + port + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads until the answer is complete (by Content-Length or the last chunk), the server closes, or it resets. */
    private static byte[] readAnswer(InputStream in, long start, Duration limit) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!complete(got.toByteArray())) {
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new SocketTimeoutException("the answer did not complete in time");
            }
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketException reset) {
                break;
            }
            if (n < 0) {
                break;
            }
            got.write(buffer, 0, n);
        }
        return got.toByteArray();
    }

    /** Drops interim answers (100 Continue to an {@code Expect}): the final answer follows them. */
    private static String withoutInterim(String text) {
        while (text.matches("(?s)HTTP/1\\.[01] 1\\d\\d.*\r\n\r\n.*")) {
            text = text.substring(text.indexOf("\r\n\r\n") + 4);
        }
        return text;
    }

    private static boolean complete(byte[] bytes) {
        String text = withoutInterim(new String(bytes, StandardCharsets.ISO_8859_1));
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        String head = text.substring(0, split).toLowerCase(Locale.ROOT);
        String body = text.substring(split + 4);
        for (String line : head.split("\r\n")) {
            if (line.startsWith("content-length:")) {
                return body.length() >= Integer.parseInt(line.substring(15).strip());
            }
            if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
                return body.endsWith("0\r\n\r\n");
            }
        }
        return false; // read to the close
    }

    private static Answer parse(byte[] bytes, Duration took) {
        String text = withoutInterim(new String(bytes, StandardCharsets.ISO_8859_1));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int split = text.indexOf("\r\n\r\n");
        if (text.isEmpty() || split < 0) {
            return new Answer(-1, headers, text, took);
        }
        String[] lines = text.substring(0, split).split("\r\n");
        String[] statusLine = lines[0].split(" ");
        int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : -2;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
        }
        String body = text.substring(split + 4);
        if (headers.getOrDefault("Transfer-Encoding", List.of()).stream().anyMatch(v -> v.contains("chunked"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8),
                took);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            if (eol < 0) {
                return out.toString();
            }
            int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
    }

    /** The request as text with control bytes escaped, for failure messages. */
    public static String printable(byte[] request) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(request.length, 600); i++) {
            int b = request[i] & 0xff;
            if (b == '\r') {
                s.append("\\r");
            } else if (b == '\n') {
                s.append("\\n");
            } else if (b < 0x20 || b >= 0x7f) {
                s.append(String.format("\\x%02x", b));
            } else {
                s.append((char) b);
            }
        }
        return request.length > 600 ? s + "…(" + request.length + " bytes)" : s.toString();
    }
}
