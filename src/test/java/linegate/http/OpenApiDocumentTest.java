package linegate.http;

import linegate.api.Refusal;
import linegate.api.StatusCode;
import linegate.testing.Gateway;
import linegate.testing.OpenApiContract;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document as a running gateway serves it (docs/api.md, "OpenAPI"): valid OpenAPI 3.1 by swagger-parser;
 * the same routes as the server's route table, both ways; every status code with its text and HTTP status as
 * {@link StatusCode} has them; and each response names only status codes of its own HTTP status. The answers
 * themselves are checked against it in {@link OpenApiSendAnswersTest} and its siblings. The document does not depend
 * on the database, so one SQLite gateway serves the class.
 */
class OpenApiDocumentTest {
    static Gateway gw;
    static OpenApiContract contract;

    @BeforeAll
    static void start(@TempDir Path tmp) {
        gw = Gateway.start(TestDb.SQLITE, tmp);
        contract = OpenApiContract.servedBy(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void isServedAsOpenApiJsonWithAnETagAndACacheLifetime() {
        Gateway.Response answer = gw.get("/openapi.json");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValue("application/vnd.oai.openapi+json;version=3.1");
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        assertThat(answer.headers().firstValue("ETag"))
                .hasValueSatisfying(tag -> assertThat(tag).matches("\"[0-9a-f]{32}\""));
        assertThat(answer.body().path("openapi").asText()).isEqualTo("3.1.0");
        contract.check("GET", "/openapi.json", answer);
    }

    @Test
    void answers304ToItsOwnETag() {
        String etag = gw.get("/openapi.json").headers().firstValue("ETag").orElseThrow();

        Gateway.Response again = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/openapi.json"))
                .header("If-None-Match", "W/\"other\", " + etag).GET().build());

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.raw()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        contract.check("GET", "/openapi.json", again);
    }

    @Test
    void isValidOpenApi31() {
        assertThat(contract.openApiVersion()).isEqualTo("3.1.0");
        assertThat(contract.problems()).as("what swagger-parser found wrong with the document").isEmpty();
    }

    @Test
    void namesEveryRouteOfTheServerAndNoOther() {
        Set<HttpServer.Route> served = new HashSet<>(gw.routes());
        Set<HttpServer.Route> documented = contract.routes();

        assertThat(served).as("the server's routes").isNotEmpty();
        assertThat(documented).as("routes the server has and the document lacks: add them to openapi/linegate.yaml")
                .containsAll(served);
        assertThat(served).as("routes the document names and the server lacks").containsAll(documented);
    }

    @Test
    void pairsEveryStatusCodeWithItsTextAndHttpStatus() {
        Map<Integer, JsonNode> pairs = new TreeMap<>();
        contract.json().at("/components/schemas/Status/oneOf")
                .forEach(pair -> pairs.put(pair.at("/properties/status_code/const").asInt(), pair));

        assertThat(pairs.keySet()).as("the status codes of components/schemas/Status")
                .containsExactlyInAnyOrderElementsOf(
                        java.util.Arrays.stream(StatusCode.values()).map(StatusCode::code).toList());
        for (StatusCode code : StatusCode.values()) {
            JsonNode pair = pairs.get(code.code());
            assertThat(pair.path("x-http-status").asInt()).as("x-http-status of %s", code.code())
                    .isEqualTo(code.httpStatus());
            assertThat(texts(pair.at("/properties/status"))).as("status texts of %s", code.code())
                    .contains(code.status());
        }
    }

    /**
     * Each response of each operation lists status codes (an enum or const on {@code return.status_code}) whose HTTP
     * status is that response's: a code moved to another HTTP status, or listed under the wrong one, fails here.
     */
    @Test
    void listsUnderEachHttpStatusOnlyStatusCodesOfThatStatus() {
        List<String> wrong = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        contract.json().path("paths").properties().forEach(path -> path.getValue().properties().forEach(op ->
                op.getValue().path("responses").properties().forEach(response -> {
                    int http = Integer.parseInt(response.getKey());
                    for (int code : statusCodes(resolve(response.getValue()))) {
                        checked.add(path.getKey() + " " + op.getKey() + " " + http + " " + code);
                        if (StatusCode.of(code).httpStatus() != http) {
                            wrong.add(op.getKey().toUpperCase() + " " + path.getKey() + ": status_code " + code
                                    + " under HTTP " + http + ", but it answers HTTP "
                                    + StatusCode.of(code).httpStatus());
                        }
                    }
                })));

        assertThat(checked).as("responses that name their status codes").hasSizeGreaterThan(100);
        assertThat(wrong).isEmpty();
    }

    /**
     * Each admin error response names its {@code error.code}, and that code's HTTP status is the response's, as
     * {@link Refusal.Kind} (and the admin error mapper, for 405 and 500) have them.
     */
    @Test
    void listsUnderEachHttpStatusOnlyAdminErrorCodesOfThatStatus() {
        Map<String, Integer> statusOf = new TreeMap<>(Map.of("method_not_allowed", 405, "internal", 500));
        for (Refusal.Kind kind : Refusal.Kind.values()) {
            statusOf.put(kind.code(), kind.httpStatus());
        }
        List<String> wrong = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        contract.json().path("paths").properties().stream().filter(path -> path.getKey().startsWith("/admin/"))
                .forEach(path -> path.getValue().properties().forEach(op ->
                        op.getValue().path("responses").properties().forEach(response -> {
                            String what = op.getKey().toUpperCase() + " " + path.getKey() + " HTTP "
                                    + response.getKey();
                            for (String code : adminErrorCodes(resolve(response.getValue()))) {
                                checked.add(code);
                                if (statusOf.get(code) != Integer.parseInt(response.getKey())) {
                                    wrong.add(what + ": " + code + " answers HTTP " + statusOf.get(code));
                                }
                            }
                        })));

        assertThat(checked).as("admin error responses that name their code").hasSizeGreaterThan(20);
        assertThat(wrong).isEmpty();
        assertThat(texts(contract.json().at("/components/schemas/AdminError/properties/error/properties/code")))
                .as("the admin error codes").containsExactlyInAnyOrderElementsOf(statusOf.keySet());
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode at = node;
        while (at.has("$ref")) {
            at = contract.json().at(at.path("$ref").asString().substring(1));
        }
        return at;
    }

    /** The {@code error.code} values an admin response's JSON schema allows, where it names them. */
    private static List<String> adminErrorCodes(JsonNode response) {
        List<String> codes = new ArrayList<>();
        resolve(response.at("/content/application~1json/schema")).path("allOf").forEach(part -> {
            JsonNode code = part.at("/properties/error/properties/code/const");
            if (code.isString()) {
                codes.add(code.asString());
            }
        });
        return codes;
    }

    /** The status_code values a response's JSON schema allows, where it names them. */
    private static List<Integer> statusCodes(JsonNode response) {
        List<Integer> codes = new ArrayList<>();
        JsonNode schema = resolve(response.at("/content/application~1json/schema"));
        List<JsonNode> parts = new ArrayList<>(List.of(schema));
        schema.path("allOf").forEach(part -> parts.add(resolve(part)));
        for (JsonNode part : parts) {
            JsonNode statusCode = part.at("/properties/return/properties/status_code");
            if (statusCode.has("const")) {
                codes.add(statusCode.path("const").asInt());
            }
            statusCode.path("enum").forEach(code -> codes.add(code.asInt()));
        }
        return codes;
    }

    private static List<String> texts(JsonNode status) {
        List<String> texts = new ArrayList<>();
        if (status.has("const")) {
            texts.add(status.path("const").asString());
        }
        status.path("enum").forEach(text -> texts.add(text.asString()));
        return texts;
    }
}
