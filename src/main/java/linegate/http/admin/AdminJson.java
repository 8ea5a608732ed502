package linegate.http.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import linegate.api.Refusal;
import linegate.operators.Page;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The admin API's JSON in and out: a request body is one JSON object ({@code Content-Type: application/json}, within
 * the body limit, no duplicate keys); answers are JSON objects, lists {@code {"items":[…],"next":…}}.
 */
final class AdminJson {
    private static final ObjectMapper READER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final int maxBodyBytes;

    AdminJson(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The request's body as a JSON object; {@code allowed} are the fields this endpoint takes. */
    JsonFields body(Context ctx, List<String> allowed) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json")) {
            throw new Refusal(Refusal.Kind.UNSUPPORTED_MEDIA_TYPE, "send the body as JSON, with 'Content-Type:"
                    + " application/json'");
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > maxBodyBytes) {
            throw new Refusal(Refusal.Kind.TOO_LARGE, "the request body is over " + maxBodyBytes + " bytes");
        }
        JsonNode node;
        try {
            node = READER.readTree(bytes);
        } catch (IOException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, "the body is not valid JSON (or repeats a field)");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new Refusal(Refusal.Kind.MALFORMED, "the body must be a JSON object");
        }
        return new JsonFields(object, allowed);
    }

    static void write(Context ctx, int status, Map<String, ?> body) {
        try {
            ctx.status(status).contentType("application/json").header("Cache-Control", "no-store")
                    .result(AdminErrors.JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> void writePage(Context ctx, Page<T> page, Function<T, Map<String, Object>> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(fields).toList());
        body.put("next", page.next().orElse(null));
        write(ctx, 200, body);
    }
}
