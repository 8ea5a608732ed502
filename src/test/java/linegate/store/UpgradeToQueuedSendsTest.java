package linegate.store;

import linegate.testing.TestDb;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database of schema V8 to V9 (queued sends). On SQLite message_log is rebuilt to widen its state CHECK:
 * every row, column and index comes through, and no cdls_id is given out again, not even one of a row deleted by
 * hand before the upgrade. On both, the old rows are direct sends (no attempts) and a queued row can be written.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class UpgradeToQueuedSendsTest {
    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    @Test
    void theUpgradeKeepsEveryRowAndNeverReusesACdlsId() throws Exception {
        Map<String, String> env = db.freshEnv(tmp);
        String url = env.get("LINEGATE_DB_URL");
        String user = env.getOrDefault("LINEGATE_DB_USER", "");
        Flyway.configure().dataSource(url, user, "")
                .locations("classpath:db/migration/" + (db == TestDb.SQLITE ? "sqlite" : "postgresql"))
                .target("8").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO accounts (name, created_at) VALUES ('Acme Dental', 0)");
            s.execute("INSERT INTO lines (account_id, class, active, human_agent, created_at, updated_at)"
                    + " VALUES (1, 'instagram', TRUE, FALSE, 0, 0)");
            for (int i = 1; i <= 3; i++) {
                s.execute("INSERT INTO message_log (account_id, line_id, channel, direction, peer_id, mtype, mdata, msg_id,"
                        + " meta_message_id, state, created_at, updated_at, sent_at, idempotent, origin, request_hash,"
                        + " node_id) VALUES (1, 1, 'instagram', 'out', '1254477777772919', 'text', 'hi " + i + "',"
                        + " 'crm-" + i + "', 'aWdf" + i + "', 'sent', 1000, 1000, 1000, TRUE, 'api', 'h" + i + "', 7)");
            }
            s.execute("DELETE FROM message_log WHERE id = 3");
        }

        try (Stores stores = Stores.open(url, user, "", Base64.getDecoder().decode(TestDb.MASTER_KEY), Clock.systemUTC())) {
            LogRow kept = stores.log().find(2).orElseThrow();
            assertThat(kept.state()).isEqualTo(LogState.SENT);
            assertThat(kept.msgId()).contains("crm-2");
            assertThat(kept.metaMessageId()).contains("aWdf2");
            assertThat(kept.requestHash()).contains("h2");
            assertThat(kept.attempts()).as("a direct send counts no attempts").isEmpty();
            assertThat(stores.log().findLiveAttempt(1, "crm-1")).as("the msg_id index came through").isPresent();

            MessageChange queued = stores.log().append(new NewLogEntry(1, 1, LineClass.INSTAGRAM, "1254477777772919",
                    "text", "later", Optional.of("crm-4"), Optional.empty(), Optional.empty(), 2000).queuedFor("h4"));

            assertThat(queued.cdlsId()).as("after every id given out before, the deleted one included").isGreaterThan(3);
            assertThat(queued.kind()).isEqualTo(MessageChange.Kind.QUEUED);
            LogRow row = stores.log().find(queued.cdlsId()).orElseThrow();
            assertThat(row.state()).isEqualTo(LogState.QUEUED);
            assertThat(row.attempts()).contains(0);
            assertThat(stores.queue().dueHeads(2000, 10)).extracting(LogRow::id).containsExactly(queued.cdlsId());
        }
        if (db == TestDb.SQLITE) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
        }
    }
}
