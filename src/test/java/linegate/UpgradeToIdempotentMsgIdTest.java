package linegate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import linegate.config.LinegateConfig;
import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.TestDb;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database written before idempotent msg_ids (schema V1): msg_id was only a stored reference then, so a log
 * may repeat one among sent messages. The upgrade must still migrate and start; those old rows keep their msg_id and
 * stay visible to MessageStatus, and idempotency applies to attempts made from then on.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class UpgradeToIdempotentMsgIdTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    private final WireMockServer meta = new WireMockServer(wireMockConfig().dynamicPort());
    private final HttpClient http = HttpClient.newHttpClient();
    private Linegate linegate;

    @AfterEach
    void stop() {
        if (linegate != null) {
            linegate.close();
        }
        meta.stop();
    }

    @Test
    void aLogThatRepeatsAMsgIdStillMigratesAndNewAttemptsAreIdempotent() throws Exception {
        meta.start();
        MetaStubs.answers(meta, MetaStubs.answer(200, MetaSamples.read("ig-send-success.doc.json")));
        Map<String, String> env = new HashMap<>(db.freshEnv(tmp));
        env.put("LINEGATE_PORT", "0");
        env.put("LINEGATE_GRAPH_URL", meta.baseUrl());
        String url = env.get("LINEGATE_DB_URL");
        String user = env.getOrDefault("LINEGATE_DB_USER", "");
        Flyway.configure().dataSource(url, user, "")
                .locations("classpath:db/migration/" + (db == TestDb.SQLITE ? "sqlite" : "postgresql"))
                .target("1").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO accounts (name, created_at) VALUES ('Acme Dental', 0)");
            s.execute("INSERT INTO lines (account_id, class, active, human_agent, created_at, updated_at)"
                    + " VALUES (1, 'instagram', TRUE, FALSE, 0, 0)");
            for (String mid : new String[]{"aWdfOld1", "aWdfOld2"}) {
                s.execute("INSERT INTO message_log (account_id, line_id, channel, direction, peer_id, mtype, mdata, msg_id,"
                        + " meta_message_id, state, created_at, updated_at, sent_at) VALUES (1, 1, 'instagram', 'out',"
                        + " '1254477777772919', 'text', 'hi', 'crm-1', '" + mid + "', 'sent', 1000, 1000, 1000)");
            }
        }

        linegate = Linegate.start(LinegateConfig.fromEnvironment(env), Clock.systemUTC());

        String tsid = linegate.stores().tokens().create(1, "crm").tsid();
        long line = linegate.stores().lines().create(new NewLine(1, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken("EAAGupgradedLinePageToken0123")), Optional.of("17841405793187218"),
                Optional.empty(), true, false));
        JsonNode before = call("GET", "/api/v2/MessageStatus.php?tsid=" + tsid + "&msg_id=crm-1", null);
        assertThat(before.path("status_code").asInt()).isEqualTo(200);
        assertThat(before.path("message").path("messageId").asText()).isEqualTo("aWdfOld2");

        String send = "{\"tsid\":\"" + tsid + "\",\"app_id\":" + line
                + ",\"dest\":\"1254477777772919\",\"mdata\":\"hello\",\"msg_id\":\"crm-1\"}";
        JsonNode first = call("POST", "/api/v2/MakeInstagram.php", send);
        JsonNode repeat = call("POST", "/api/v2/MakeInstagram.php", send);

        assertThat(first.path("status_code").asInt()).isEqualTo(200);
        assertThat(first.has("duplicate")).isFalse();
        assertThat(repeat.path("status_code").asInt()).isEqualTo(200);
        assertThat(repeat.path("duplicate").asBoolean()).isTrue();
        assertThat(repeat.path("cdls_id").asLong()).isEqualTo(first.path("cdls_id").asLong());
        assertThat(MetaStubs.graphCalls(meta)).isEqualTo(1);
    }

    private JsonNode call(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + linegate.port() + path));
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return JSON.readTree(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body()).path("return");
    }
}
