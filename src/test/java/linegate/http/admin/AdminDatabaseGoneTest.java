package linegate.http.admin;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import linegate.testing.Gateway;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the database gone, the admin API answers 503 in its own error shape, never a 500 and never the send API's
 * envelope: the gate's look-up of the admin token, a list, a create.
 */
class AdminDatabaseGoneTest {
    @TempDir
    Path tmp;

    @Test
    void everyAdminEndpointAnswers503Unavailable() throws Exception {
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
            Admin admin = new Admin(gw, gw.env());
            assertThat(admin.get("/admin/v1/accounts").status()).isEqualTo(200);

            pg.close();

            for (Gateway.Response r : new Gateway.Response[]{admin.get("/admin/v1/accounts"),
                    admin.get("/admin/v1/messages?state=failed"), admin.post("/admin/v1/accounts", "{\"name\":\"x\"}")}) {
                String message = Admin.error(r, 503, "unavailable");
                assertThat(message).isEqualTo("the database is unavailable; retry later");
                assertThat(r.raw()).doesNotContain("\"return\"");
            }
        } finally {
            gw.close();
        }
    }
}
