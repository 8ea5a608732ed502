package linegate;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the database gone, every way in that needs it answers the same 503 envelope, byte for byte: authentication
 * (a token not in memory), MessageStatus, a webhook delivery, and a send whose own reads fail after authentication.
 * The services at the HTTP boundary say so themselves; for the send pipeline, which still lets the store's exception
 * through, the composition root names that exception to http. Either way http does not know the store's types.
 */
class DatabaseGoneAtEveryEndpointTest {
    private static final String UNAVAILABLE = "{\"return\":{\"status\":\"Service unavailable\",\"status_code\":503,"
            + "\"detail\":\"the database is unavailable; retry later\"}}";

    @TempDir
    Path tmp;

    @Test
    void everyEndpointAnswersTheSame503WhenPostgresGoesAway() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        Gateway gw;
        try {
            Map<String, String> env = Webhooks.env();
            env.put("LINEGATE_DB_URL", "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres");
            env.put("LINEGATE_DB_USER", "postgres");
            gw = Gateway.start(TestDb.SQLITE, tmp, env);
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
        try {
            gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
            Gateway.Response sent = gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"1\",\"mdata\":\"up\""));
            assertThat(sent.statusCode()).isEqualTo(200);
            String status = "{\"tsid\":\"" + gw.tsid + "\",\"cdls_id\":" + sent.ret().path("cdls_id").asLong() + "}";
            assertThat(gw.postJson("/api/v2/MessageStatus.php", status).statusCode()).isEqualTo(200);

            pg.close();

            assertUnavailable(gw.postJson("/api/v2/MessageStatus.php", "{\"tsid\":\"not-a-token-linegate-knows\","
                    + "\"cdls_id\":1}"));
            assertUnavailable(gw.postJson("/api/v2/MessageStatus.php", status));
            assertUnavailable(new Webhooks(gw).post(Webhooks.delivery("instagram")));
            assertUnavailable(gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"1\",\"mdata\":\"down\"")));
        } finally {
            gw.close();
        }
    }

    @Test
    void aSendWhoseWindowReadFailsAnswersTheSame503() throws Exception {
        Map<String, String> env = new HashMap<>(TestDb.POSTGRESQL.freshEnv(tmp));
        env.put("LINEGATE_DB_URL", env.get("LINEGATE_DB_URL") + "?options=-c%20lock_timeout%3D300");
        try (Gateway gw = Gateway.start(env)) {
            gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
            // another session holds the window's table: the token is known from memory, the window read gives up
            try (Connection locked = gw.connect()) {
                locked.setAutoCommit(false);
                try (Statement s = locked.createStatement()) {
                    s.execute("LOCK TABLE conversations IN ACCESS EXCLUSIVE MODE");
                }
                assertUnavailable(gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"1\",\"mdata\":\"x\"")));
            }
        }
    }

    private static void assertUnavailable(Gateway.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(503);
        assertThat(r.raw()).isEqualTo(UNAVAILABLE);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    }
}
