package linegate.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import linegate.Linegate;
import linegate.config.LinegateConfig;
import linegate.store.LineClass;
import linegate.store.LogRow;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.Stores;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A whole Linegate, in process, on a real database and a real HTTP port, with WireMock standing in for
 * graph.facebook.com. Comes with one account, its API token, and an active Instagram line that has a page token, on
 * {@link #IG_ACCOUNT_ID} (or, for a gateway started again on a database where a line holds that id, on one of its own).
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
    private final Map<String, String> env;

    private Gateway(WireMockServer meta, Linegate linegate, Map<String, String> env) {
        this.meta = meta;
        this.linegate = linegate;
        this.env = Map.copyOf(env);
        Stores s = linegate.stores();
        this.accountId = s.accounts().create("Acme Dental");
        this.tsid = s.tokens().create(accountId, "crm").tsid();
        // a gateway started again on a database keeps the first one's line on IG_ACCOUNT_ID (one id, one active line)
        String igAccountId = s.lines().findActiveByIgAccountId(IG_ACCOUNT_ID).isPresent() ? Webhooks.newId("178414")
                : IG_ACCOUNT_ID;
        this.lineId = s.lines().create(new NewLine(accountId, LineClass.INSTAGRAM, Optional.of(new PageAccessToken(PAGE_TOKEN)),
                Optional.of(igAccountId), Optional.empty(), true, false));
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
        env.put("LINEGATE_MEDIA_CHECK", "false"); // tests send media URLs that lead nowhere; MediaChecksTest turns it on
        // the start-up token check would add a GET to Meta's journal that tests counting Meta's requests do not expect;
        // TokenCheckAtStartupTest turns it on
        env.put("LINEGATE_TOKEN_CHECK_MINUTES", "0");
        env.putAll(extraEnv);
        try {
            return new Gateway(meta, Linegate.start(LinegateConfig.fromEnvironment(env), Clock.systemUTC()), env);
        } catch (RuntimeException e) {
            meta.stop();
            throw e;
        }
    }

    /**
     * A gateway on exactly the database and master key this environment names (for example a SQLite file that operator
     * commands in other processes share), with WireMock as Meta and a free port, as in the other overloads.
     */
    public static Gateway start(Map<String, String> env) {
        WireMockServer meta = new WireMockServer(wireMockConfig().dynamicPort());
        meta.start();
        Map<String, String> full = new HashMap<>(env);
        full.put("LINEGATE_PORT", "0");
        full.put("LINEGATE_GRAPH_URL", meta.baseUrl());
        full.putIfAbsent("LINEGATE_GRAPH_TIMEOUT_MS", "2000");
        full.putIfAbsent("LINEGATE_MEDIA_CHECK", "false");
        full.putIfAbsent("LINEGATE_TOKEN_CHECK_MINUTES", "0");
        try {
            return new Gateway(meta, Linegate.start(LinegateConfig.fromEnvironment(full), Clock.systemUTC()), full);
        } catch (RuntimeException e) {
            meta.stop();
            throw e;
        }
    }

    /** The environment this gateway was started with (its database, master key, Graph URL). */
    public Map<String, String> env() {
        return env;
    }

    /** A plain JDBC connection to this gateway's database, outside its pool (to lock a table, or to change a row). */
    public Connection connect() {
        try {
            return DriverManager.getConnection(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one statement on this gateway's database outside its pool; the rows it changed. */
    public int execute(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            return st.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public WireMockServer meta() {
        return meta;
    }

    public Stores stores() {
        return linegate.stores();
    }

    /** The routes the server registered. */
    public List<linegate.http.HttpServer.Route> routes() {
        return linegate.routes();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + linegate.port();
    }

    /** Where /metrics and /health* are: the management port (LINEGATE_MANAGEMENT_PORT), or the main one. */
    public String managementUrl() {
        return "http://127.0.0.1:" + linegate.managementPort();
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

    /** Sends one request as raw bytes over a socket, for requests java.net.http refuses to build (a bad %-escape in the URI). */
    public Response sendRaw(String method, String target, Map<String, String> headers, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", linegate.port())) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            // ISO-8859-1 keeps one char per byte, so chunk sizes can be followed; the body is decoded as UTF-8 at the end
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int split = answer.indexOf("\r\n\r\n");
            String[] lines = answer.substring(0, split).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, List<String>> hs = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                hs.computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
            String raw = answer.substring(split + 4);
            if (hs.getOrDefault("Transfer-Encoding", List.of()).contains("chunked")) {
                raw = dechunk(raw);
            }
            raw = new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            JsonNode json = null;
            try {
                json = JSON.readTree(raw);
            } catch (IOException notJson) {
                // Jetty's own HTML answers
            }
            return new Response(status, json, raw, HttpHeaders.of(hs, (k, v) -> true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }

    /** The outbound rows of this gateway's account, newest first. */
    public List<LogRow> rows() {
        return stores().log().list(Optional.of(accountId), 100_000);
    }

    /**
     * Creates another Instagram line on this gateway's account, for an Instagram account id of its own (one id has one
     * active line).
     */
    public long newInstagramLine(boolean active, boolean humanAgent, Optional<String> pageToken) {
        return stores().lines().create(new NewLine(accountId, LineClass.INSTAGRAM, pageToken.map(PageAccessToken::new),
                Optional.of(Webhooks.newId("178414")), Optional.empty(), active, humanAgent));
    }

    public static Map<String, String> env(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
