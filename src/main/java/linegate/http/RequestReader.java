package linegate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads request parameters the way the original PHP endpoint did: the query string, then the body (JSON object, form,
 * or multipart form, which PHP's curl sends for an array) on top of it. A body over the limit is 202; a body that does
 * not parse as its Content-Type says, or a Content-Type that carries no parameters, is 201.
 */
final class RequestReader {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** How much of an oversized body is read and thrown away so the client can finish sending and read the 202. */
    static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    private final int maxBodyBytes;

    RequestReader(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    Params read(Context ctx) {
        Map<String, Params.Value> values = new HashMap<>();
        String query = ctx.queryString();
        if (query != null && !query.isEmpty()) {
            values.putAll(parseUrlEncoded(query, "query string"));
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge(ctx);
        }
        String type = mediaType(ctx.contentType());
        if (type.equals("multipart/form-data")) {
            values.putAll(multipart(ctx));
            return checked(values);
        }
        byte[] body = readLimited(ctx);
        if (body.length == 0) {
            return checked(values);
        }
        switch (type) {
            case "application/json" -> values.putAll(parseJson(body));
            case "application/x-www-form-urlencoded" ->
                    values.putAll(parseUrlEncoded(new String(body, StandardCharsets.UTF_8), "form body"));
            default -> throw ApiException.of(StatusCode.MALFORMED_REQUEST, "Content-Type '" + (type.isEmpty() ? "(none)" : type)
                    + "' is not supported: send application/json, application/x-www-form-urlencoded or multipart/form-data");
        }
        return checked(values);
    }

    /**
     * Refuses a NUL character in any parameter: PostgreSQL cannot store one in text (it would be a 500 there and a
     * stored NUL on SQLite), and no IGSID, token, text or URL legitimately holds one.
     */
    private static Params checked(Map<String, Params.Value> values) {
        values.forEach((name, value) -> {
            if (value.text() != null && value.text().indexOf('\u0000') >= 0) {
                throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the parameter " + name + " contains a NUL character");
            }
        });
        return new Params(values);
    }

    private byte[] readLimited(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw tooLarge(ctx);
            }
            return bytes;
        } catch (IOException e) {
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the request body could not be read: " + e.getMessage());
        }
    }

    private Map<String, Params.Value> multipart(Context ctx) {
        try {
            Map<String, Params.Value> values = new HashMap<>();
            ctx.formParamMap().forEach((name, list) -> put(values, name, list));
            return values;
        } catch (Exception e) { // not only RuntimeException: Javalin rethrows Jetty's checked ServletException undeclared
            if (isTooLarge(e)) {
                throw tooLarge(ctx);
            }
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the multipart/form-data body cannot be parsed");
        }
    }

    private static void put(Map<String, Params.Value> values, String name, List<String> list) {
        if (!list.isEmpty()) {
            values.put(name, Params.Value.text(list.getLast())); // PHP: the last of repeated names wins
        }
    }

    static Map<String, Params.Value> parseJson(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson's trailing-token message names its own classes and features: say it in the client's words
            String why = e.getOriginalMessage().startsWith("Trailing token")
                    ? "more content after the end of the JSON object"
                    : e.getOriginalMessage().lines().findFirst().orElse("");
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the body is not valid JSON: " + why + location(e));
        } catch (IOException e) {
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the body could not be read as JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the JSON body must be an object of parameters");
        }
        Map<String, Params.Value> values = new HashMap<>();
        root.properties().forEach(field -> {
            JsonNode v = field.getValue();
            if (v.isContainerNode()) {
                values.put(field.getKey(), Params.Value.structuredValue());
            } else if (!v.isNull()) {
                // numbers keep their exact digits: a 17-digit dest given as a JSON number must not become a double
                values.put(field.getKey(), Params.Value.text(v.isBigDecimal() ? v.decimalValue().toPlainString() : v.asText()));
            }
        });
        return values;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    static Map<String, Params.Value> parseUrlEncoded(String text, String where) {
        Map<String, Params.Value> values = new HashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.put(name, Params.Value.text(value));
            } catch (IllegalArgumentException e) {
                throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the " + where + " has a malformed %-escape");
            }
        }
        return values;
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * 202, after reading and discarding the rest of the body (up to {@link #DRAIN_LIMIT}): a server that answers and
     * closes while the client is still sending makes many clients see a reset instead of the answer.
     */
    private ApiException tooLarge(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] discard = new byte[64 * 1024];
            long left = DRAIN_LIMIT;
            int n;
            while (left > 0 && (n = in.read(discard, 0, (int) Math.min(discard.length, left))) >= 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException ignored) {
            // the client went away or the stream is already spent: the answer is the same
        }
        return ApiException.of(StatusCode.REQUEST_TOO_LARGE, "the body is over " + maxBodyBytes + " bytes");
    }

    /** Jetty words it "max length exceeded: N" (multipart), others "too large" or "exceeds". */
    private static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("too large") || m.contains("exceed") || m.contains("413")) {
                return true;
            }
        }
        return false;
    }
}
