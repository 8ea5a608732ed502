package linegate.testing;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import linegate.http.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.StringNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The OpenAPI document a running {@link Gateway} serves at {@code /openapi.json}, read two ways: by swagger-parser, as
 * OpenAPI 3.1 (its {@link #problems()}), and as JSON Schema 2020-12 (OpenAPI 3.1's dialect) by networknt's validator,
 * which checks a real answer against the schema the document gives for its path, method, HTTP status and content
 * type. A failure names all four and the field that does not fit.
 */
public final class OpenApiContract {
    /** The document's own address for the validator; nothing is fetched from it. */
    private static final String BASE = "https://linegate.invalid/openapi.json";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERRORS_SHOWN = 8;

    private final JsonNode document;
    private final SwaggerParseResult parsed;
    private final SchemaRegistry schemas;

    private OpenApiContract(String json) {
        this.document = JSON.readTree(json);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        this.parsed = new OpenAPIV3Parser().readContents(json, null, options);
        this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), b -> b
                .schemas(Map.of(BASE, json))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    /** The document as {@code gw} serves it. */
    public static OpenApiContract servedBy(Gateway gw) {
        Gateway.Response answer = gw.get("/openapi.json");
        if (answer.status() != 200) {
            throw new AssertionError("GET /openapi.json answered HTTP " + answer.status() + ": " + answer.raw());
        }
        return new OpenApiContract(answer.raw());
    }

    /** The OpenAPI version the document declares, as swagger-parser read it. */
    public String openApiVersion() {
        return parsed.getOpenAPI() == null ? null : parsed.getOpenAPI().getOpenapi();
    }

    /** What swagger-parser found wrong with the document (empty when it is a valid OpenAPI document). */
    public List<String> problems() {
        return parsed.getMessages() == null ? List.of() : parsed.getMessages();
    }

    public JsonNode json() {
        return document;
    }

    /** Every path and method the document names, in the form the server's route table has. */
    public Set<HttpServer.Route> routes() {
        Set<HttpServer.Route> routes = new LinkedHashSet<>();
        document.path("paths").properties().forEach(path -> METHODS.forEach(method -> {
            if (path.getValue().has(method)) {
                routes.add(new HttpServer.Route(method.toUpperCase(Locale.ROOT), path.getKey()));
            }
        }));
        return routes;
    }

    /**
     * Requires that {@code answer} carries {@code statusCode} in its envelope (so the test reached what it meant to),
     * then {@link #check}s it; {@code target} may have a query string. Returns the answer.
     */
    public Gateway.Response check(int statusCode, String method, String target, Gateway.Response answer) {
        if (answer.body() == null || answer.statusCode() != statusCode) {
            throw new AssertionError(method + " " + target + ": expected status_code " + statusCode + ", got HTTP "
                    + answer.status() + " " + answer.raw());
        }
        check(method, target, answer);
        return answer;
    }

    /**
     * Checks {@code answer} to {@code method} on {@code target} against the document: the operation exists, it lists
     * the answer's HTTP status and content type, and the body fits that schema.
     */
    public void check(String method, String target, Gateway.Response answer) {
        String requestPath = target.split("\\?", 2)[0];
        String template = template(requestPath).orElseThrow(() -> new AssertionError(
                method + " " + requestPath + " answered HTTP " + answer.status()
                        + ", but the document has no such path"));
        String operation = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
        if (document.at(operation).isMissingNode()) {
            throw new AssertionError(method + " " + requestPath + " answered HTTP " + answer.status()
                    + ", but the document has no " + method + " for " + template);
        }
        String status = Integer.toString(answer.status());
        JsonNode responses = document.at(operation + "/responses");
        if (!responses.has(status)) {
            throw new AssertionError(method + " " + template + " answered HTTP " + status
                    + ", which the document does not list for it (it lists " + names(responses) + "); body: "
                    + answer.raw());
        }
        checkResponse(method + " " + template + " HTTP " + status, operation + "/responses/" + status, answer);
    }

    /**
     * Checks a request the test sends against the document: each query parameter is one the operation names, and the
     * body (a JSON value, or a form's fields as strings) fits the operation's request body for {@code mediaType}.
     * So a source or parameter the server takes cannot be missing from the document, nor one it forbids.
     */
    public void checkRequest(String method, String target, String mediaType, JsonNode body) {
        String[] parts = target.split("\\?", 2);
        String template = template(parts[0]).orElseThrow(() -> new AssertionError(method + " " + parts[0]
                + ": the document has no such path"));
        String pathItem = "/paths/" + escape(template);
        String operation = pathItem + "/" + method.toLowerCase(Locale.ROOT);
        String what = method + " " + template + " (the request the test sends)";
        if (parts.length == 2) {
            Set<String> named = new LinkedHashSet<>();
            for (String at : List.of(pathItem + "/parameters", operation + "/parameters")) {
                document.at(at).forEach(parameter -> {
                    JsonNode p = document.at(resolve(pointerOf(parameter, at)));
                    if ("query".equals(p.path("in").asString())) {
                        named.add(p.path("name").asString());
                    }
                });
            }
            for (String pair : parts[1].split("&")) {
                String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
                if (!named.contains(name)) {
                    throw new AssertionError(what + ": the query parameter " + name + " is not among the operation's "
                            + named);
                }
            }
        }
        if (body == null) {
            return;
        }
        String requestBody = resolve(operation + "/requestBody");
        JsonNode content = document.at(requestBody + "/content");
        String type = mediaTypeOf(content, mediaType).orElseThrow(() -> new AssertionError(what + ": a body of "
                + mediaType + ", the document takes " + names(content)));
        String schemaPointer = requestBody + "/content/" + escape(type) + "/schema";
        List<Error> errors = schemas.getSchema(SchemaLocation.of(BASE + "#" + schemaPointer)).validate(body);
        if (!errors.isEmpty()) {
            throw new AssertionError(what + " (" + mediaType + "): the body does not fit the document's schema at #"
                    + schemaPointer + ":\n  " + errors.stream().limit(MAX_ERRORS_SHOWN).map(OpenApiContract::describe)
                    .collect(Collectors.joining("\n  ")) + "\nbody: " + body);
        }
    }

    /** {@link #checkRequest} for a JSON body. */
    public void checkJsonRequest(String method, String target, String json) {
        checkRequest(method, target, "application/json", JSON.readTree(json));
    }

    /** {@link #checkRequest} for a form body: its fields, each a string. */
    public void checkFormRequest(String method, String target, String mediaType, Map<String, String> fields) {
        tools.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
        fields.forEach(body::put);
        checkRequest(method, target, mediaType, body);
    }

    /** The pointer of {@code parameter} in the list at {@code listPointer} (to follow its $ref, if any). */
    private String pointerOf(JsonNode parameter, String listPointer) {
        JsonNode list = document.at(listPointer);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == parameter) {
                return listPointer + "/" + i;
            }
        }
        throw new IllegalStateException("not in " + listPointer);
    }

    /** Checks an answer against a response of {@code components/responses} (for paths the document cannot name). */
    public void checkComponent(String name, Gateway.Response answer) {
        checkResponse("components/responses/" + name + " (HTTP " + answer.status() + ")",
                "/components/responses/" + escape(name), answer);
    }

    private void checkResponse(String what, String pointer, Gateway.Response answer) {
        String at = resolve(pointer);
        JsonNode response = document.at(at);
        checkHeaders(what, response.path("headers"), answer);
        JsonNode content = response.path("content");
        String contentType = answer.headers().firstValue("Content-Type").orElse(null);
        if (content.isMissingNode() || content.isEmpty()) {
            if (!answer.raw().isEmpty()) {
                throw new AssertionError(what + ": the document gives no body, but the answer has one: "
                        + answer.raw());
            }
            return;
        }
        String mediaType = mediaTypeOf(content, contentType).orElseThrow(() -> new AssertionError(what
                + ": answered Content-Type " + contentType + ", the document gives " + names(content)));
        String schemaPointer = at + "/content/" + escape(mediaType) + "/schema";
        Schema schema = schemas.getSchema(SchemaLocation.of(BASE + "#" + schemaPointer));
        JsonNode body = mediaType.startsWith("application/") ? JSON.readTree(answer.raw())
                : StringNode.valueOf(answer.raw());
        List<Error> errors = schema.validate(body);
        if (!errors.isEmpty()) {
            // the deepest first: a oneOf that failed also reports each of its branches, less to the point
            throw new AssertionError(what + " (" + contentType + "): the body does not fit the document's schema at #"
                    + schemaPointer + ":\n  " + errors.stream()
                    .sorted(Comparator.comparingInt((Error e) -> -e.getInstanceLocation().getNameCount()))
                    .limit(MAX_ERRORS_SHOWN).map(OpenApiContract::describe).collect(Collectors.joining("\n  "))
                    + "\nbody: " + answer.raw());
        }
    }

    private static void checkHeaders(String what, JsonNode headers, Gateway.Response answer) {
        headers.properties().forEach(header -> {
            if (header.getValue().path("required").asBoolean(false)
                    && answer.headers().firstValue(header.getKey()).isEmpty()) {
                throw new AssertionError(what + ": the document requires the header " + header.getKey()
                        + ", the answer has none");
            }
        });
    }

    /**
     * Where, which keyword, and what it refused: {@code /return/status_code: enum [201,210] does not allow 229}. Built
     * from the error's parts, not its message, whose placeholders 3.0.9 fills one place off.
     */
    private static String describe(Error e) {
        if ("required".equals(e.getKeyword())) {
            return e.getInstanceLocation() + ": lacks the property '" + e.getProperty() + "' that required "
                    + e.getSchemaNode() + " asks for (at " + e.getEvaluationPath() + ")";
        }
        String refused = e.getProperty() != null ? "the property '" + e.getProperty() + "'"
                : String.valueOf(e.getInstanceNode());
        return e.getInstanceLocation() + ": " + e.getKeyword() + " " + e.getSchemaNode() + " does not allow " + refused
                + " (at " + e.getEvaluationPath() + ")";
    }

    /** The path template of the document that {@code requestPath} matches ({@code {id}} matches one segment). */
    private Optional<String> template(String requestPath) {
        if (document.path("paths").has(requestPath)) {
            return Optional.of(requestPath);
        }
        List<String> matching = new ArrayList<>();
        document.path("paths").propertyNames().forEach(template -> {
            String regex = Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
            if (requestPath.matches(regex)) {
                matching.add(template);
            }
        });
        return matching.stream().findFirst();
    }

    /** Follows {@code $ref}s (responses are often references to components/responses) to the object itself. */
    private String resolve(String pointer) {
        String at = pointer;
        for (int hops = 0; hops < 10; hops++) {
            JsonNode ref = document.at(at).path("$ref");
            if (!ref.isString()) {
                return at;
            }
            at = ref.asString().substring(1);
        }
        throw new AssertionError("a $ref loop at " + pointer);
    }

    private static Optional<String> mediaTypeOf(JsonNode content, String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String exact = contentType.replace(" ", "");
        String base = exact.split(";")[0];
        Iterator<String> names = content.propertyNames().iterator();
        String baseMatch = null;
        while (names.hasNext()) {
            String name = names.next();
            if (name.replace(" ", "").equalsIgnoreCase(exact)) {
                return Optional.of(name);
            }
            if (name.split(";")[0].equalsIgnoreCase(base)) {
                baseMatch = name;
            }
        }
        return Optional.ofNullable(baseMatch);
    }

    private static String names(JsonNode object) {
        return String.join(", ", object.propertyNames());
    }

    /** A JSON pointer's escaping of one key (RFC 6901). */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
