package linegate;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A database that goes away answers 503 (and /health says DOWN), never a 500 or a hang. */
class DatabaseDownTest {
    @TempDir
    Path tmp;

    @Test
    void answers503WhenPostgresGoesAway() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        Gateway gw;
        try {
            gw = Gateway.start(TestDb.SQLITE, tmp, Gateway.env(
                    "LINEGATE_DB_URL", "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
                    "LINEGATE_DB_USER", "postgres"));
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
        try {
            gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
            assertThat(gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"1\",\"mdata\":\"up\"")).statusCode())
                    .isEqualTo(200);

            pg.close();

            Gateway.Response r = gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"1\",\"mdata\":\"down\""));
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.ret().path("status").asText()).isEqualTo("Service unavailable");
            Gateway.Response health = gw.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body().path("database").asText()).isEqualTo("DOWN");
        } finally {
            gw.close();
        }
    }
}
