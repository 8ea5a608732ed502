package linegate.http;

import io.javalin.http.Context;
import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads request parameters the way the original PHP endpoint did: the query string, then the body (JSON object, form,
 * or multipart form, which PHP's curl sends for an array) on top of it. A body over the limit is 202; a body that does
 * not parse as its Content-Type says, or a Content-Type that carries no parameters, is 201.
 * <p>
 * Two newcomers' mistakes get a clear answer (docs/api.md, "Parameters"): a JSON object sent as a form or without a
 * Content-Type ({@code curl -d '{…}'} sends {@code application/x-www-form-urlencoded}) is 201 with a detail that says
 * to send {@code Content-Type: application/json} (it was 100 No tsid: the form parser found no tsid in it). It is not
 * read as JSON anyway: the client declared a form, and a gateway that second-guesses the declared type sends what
 * the client may not have meant. A form body in another charset than UTF-8 ({@code charset=ISO-8859-1}) is decoded
 * by that charset, and one Java does not know is 201.
 */
final class RequestReader {
    static final String JSON_AS_FORM = "the body starts with '{' like a JSON object but was sent as Content-Type:"
            + " application/x-www-form-urlencoded (what curl -d sends unless told otherwise): send JSON with the header"
            + " Content-Type: application/json (curl -H 'Content-Type: application/json' -d '{...}')";
    static final String JSON_WITHOUT_TYPE = "the body starts with '{' like a JSON object but was sent without a"
            + " Content-Type: send JSON with the header Content-Type: application/json";
    /**
     * Parameters one source (query string, body) may carry: PHP's own default (max_input_vars). A send has seven; the
     * bound keeps a large configured body limit from becoming a map of millions of entries.
     */
    static final int MAX_PARAMETERS = 1000;
    /** The names Linegate reads; a 201 may name one of these, never another name the client sent. */
    private static final Set<String> KNOWN_NAMES = Set.of("tsid", "app_id", "v8l_id", "dest", "mtype", "mdata", "msg_id",
            "tag", "cdls_id", "async", "comment_id", "quick_replies", "reply_to", "agent", "action");

    /** How much of an oversized body is read and thrown away so the client can finish sending and read the 202. */
    static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    private final int maxBodyBytes;
    private final JsonParams json;

    RequestReader(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.json = new JsonParams(maxBodyBytes);
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
        // the header as sent: the servlet API's getContentType throws on an unknown charset (a 500)
        String type = mediaType(ctx.header("Content-Type"));
        if (type.equals("multipart/form-data")) {
            values.putAll(multipart(ctx));
            return checked(values);
        }
        byte[] body = readLimited(ctx);
        if (body.length == 0) {
            return checked(values);
        }
        if ((type.isEmpty() || type.equals(FORM)) && startsAnObject(body)) {
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, type.isEmpty() ? JSON_WITHOUT_TYPE : JSON_AS_FORM);
        }
        switch (type) {
            case "application/json" -> values.putAll(json.parse(body));
            case FORM -> {
                Charset charset = formCharset(ctx.header("Content-Type"));
                values.putAll(parseUrlEncoded(new String(body, charset), charset, "form body"));
            }
            default -> throw ApiException.of(StatusCode.MALFORMED_REQUEST, (type.isEmpty() ? "the body has no Content-Type"
                    : "this Content-Type is not supported") + ": send application/json, application/x-www-form-urlencoded"
                    + " or multipart/form-data");
        }
        return checked(values);
    }

    private static final String FORM = "application/x-www-form-urlencoded";

    /** A JSON object, as far as its first character tells: a form's first name never starts with an unescaped '{'. */
    private static boolean startsAnObject(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }

    /**
     * The charset a form body declares ({@code ; charset=...}, as browsers and HTTP clients send it); UTF-8 when it
     * declares none. A charset Java does not know is 201: decoding it as UTF-8 would store other characters than
     * the client sent.
     */
    static Charset formCharset(String contentType) {
        if (contentType == null) {
            return StandardCharsets.UTF_8;
        }
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String name = param.substring(eq + 1).strip();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException unknown) {
                    throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the form body's charset (Content-Type: "
                            + FORM + "; charset=...) is not one Linegate can decode: send UTF-8, or a charset such as"
                            + " ISO-8859-1 or windows-1252");
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * Refuses a NUL character in any parameter: PostgreSQL cannot store one in text (it would be a 500 there and a
     * stored NUL on SQLite), and no IGSID, token, text or URL legitimately holds one.
     */
    private static Params checked(Map<String, Params.Value> values) {
        values.forEach((name, value) -> {
            if (value.text() != null && value.text().indexOf('\u0000') >= 0) {
                throw ApiException.of(StatusCode.MALFORMED_REQUEST, (KNOWN_NAMES.contains(name) ? "the parameter " + name
                        : "a parameter") + " contains a NUL character");
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
            // Jetty's reason may quote what it could not parse (a chunk size line): say only what happened
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the request body could not be read (a bad chunked"
                    + " encoding, or the connection closed early)");
        }
    }

    private Map<String, Params.Value> multipart(Context ctx) {
        try {
            Map<String, Params.Value> values = new HashMap<>();
            ctx.formParamMap().forEach((name, list) -> put(values, name, list));
            bounded(values.size(), "multipart/form-data body");
            return values;
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) { // not only RuntimeException: Javalin rethrows Jetty's checked ServletException undeclared
            if (isTooLarge(e)) {
                throw tooLarge(ctx);
            }
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the multipart/form-data body cannot be parsed");
        }
    }

    private static void bounded(int parameters, String where) {
        if (parameters > MAX_PARAMETERS) {
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the " + where + " has more than " + MAX_PARAMETERS
                    + " parameters");
        }
    }

    private static String named(String name, String where) {
        if (name.length() > JsonParams.MAX_NAME_LENGTH) {
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the " + where + " has a parameter name longer than "
                    + JsonParams.MAX_NAME_LENGTH + " characters");
        }
        return name;
    }

    private static void put(Map<String, Params.Value> values, String name, List<String> list) {
        named(name, "multipart/form-data body");
        if (!list.isEmpty()) {
            values.put(name, Params.Value.text(list.getLast())); // PHP: the last of repeated names wins
        }
    }

    static Map<String, Params.Value> parseUrlEncoded(String text, String where) {
        return parseUrlEncoded(text, StandardCharsets.UTF_8, where);
    }

    /** {@code %}-escapes are bytes of {@code charset} (a form's declared charset; the query string's is UTF-8). */
    static Map<String, Params.Value> parseUrlEncoded(String text, Charset charset, String where) {
        Map<String, Params.Value> values = new HashMap<>();
        int pairs = 0;
        for (String pair : text.split("&", MAX_PARAMETERS + 2)) {
            if (pair.isEmpty()) {
                continue;
            }
            bounded(++pairs, where);
            int eq = pair.indexOf('=');
            try {
                String name = named(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), charset), where);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), charset);
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
