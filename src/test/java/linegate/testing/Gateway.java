package linegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import linegate.Linegate;
import linegate.config.LinegateConfig;
import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.Stores;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A whole Linegate, in process, on a real database and a real HTTP port, with WireMock standing in for
 * graph.facebook.com. Comes with one account, its API token, and an active Instagram line that has a page token.
 */
public final class Gateway implements AutoCloseable {
    public static final String PAGE_TOKEN = "EAAGm0PX4ZCpsBAtestPageAccessToken0123456789abcdefZDZD";
    public static final String IG_ACCOUNT_ID = "17841405793187218";
    public static final String GRAPH_PATH = "/v25.0/me/messages";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer meta;
    private final Linegate linegate;
    private final HttpClient http = HttpClient.newHttpClient();
    public final long accountId;
    public final String tsid;
    public final long lineId;

    private Gateway(WireMockServer meta, Linegate linegate) {
        this.meta = meta;
        this.linegate = linegate;
        Stores s = linegate.stores();
        this.accountId = s.accounts().create("Acme Dental");
        this.tsid = s.tokens().create(accountId, "crm").tsid();
        this.lineId = s.lines().create(new NewLine(accountId, LineClass.INSTAGRAM, Optional.of(new PageAccessToken(PAGE_TOKEN)),
                Optional.of(IG_ACCOUNT_ID), Optional.empty(), true, false));
    }

    public static Gateway start(TestDb db, Path tempDir) {
        return start(db, tempDir, Map.of());
    }

    public static Gateway start(TestDb db, Path tempDir, Map<String, String> extraEnv) {
        WireMockServer meta = new WireMockServer(wireMockConfig().dynamicPort());
        meta.start();
        Map<String, String> env = new HashMap<>(db.freshEnv(tempDir));
        env.put("LINEGATE_PORT", "0");
        env.put("LINEGATE_GRAPH_URL", meta.baseUrl());
        env.put("LINEGATE_GRAPH_TIMEOUT_MS", "2000");
        env.putAll(extraEnv);
        try {
            return new Gateway(meta, Linegate.start(LinegateConfig.fromEnvironment(env), Clock.systemUTC()));
        } catch (RuntimeException e) {
            meta.stop();
            throw e;
        }
    }

    public WireMockServer meta() {
        return meta;
    }

    public Stores stores() {
        return linegate.stores();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + linegate.port();
    }

    /** Meta answers the Send API with this status and body (a JSON sample). */
    public void metaAnswers(int status, String body) {
        meta.stubFor(WireMock.post(urlPathEqualTo(GRAPH_PATH))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    public Response postJson(String path, String json) {
        return post(path, "application/json", json, Map.of());
    }

    public Response post(String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        return send(b.build());
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            try {
                body = JSON.readTree(r.body());
            } catch (IOException notJson) {
                // metrics and plain-text answers
            }
            return new Response(r.statusCode(), body, r.body(), r.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP answer; {@link #ret()} is the {@code return} object of the envelope. */
    public record Response(int status, JsonNode body, String raw, HttpHeaders headers) {
        public JsonNode ret() {
            return body.path("return");
        }

        public int statusCode() {
            return ret().path("status_code").asInt(-1);
        }
    }

    /** A JSON send body with this gateway's token and line and the given extra fields (raw JSON members). */
    public String sendJson(String members) {
        return "{\"tsid\":\"" + tsid + "\",\"app_id\":" + lineId + (members.isEmpty() ? "" : "," + members) + "}";
    }

    @Override
    public void close() {
        try {
            linegate.close();
        } finally {
            meta.stop();
        }
    }

    public static Map<String, String> env(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
