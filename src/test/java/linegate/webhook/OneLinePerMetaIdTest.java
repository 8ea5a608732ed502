package linegate.webhook;

import linegate.store.LineChanges;
import linegate.store.LineClass;
import linegate.store.MetaIdInUseException;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.Gateway;
import linegate.testing.TestDb;
import linegate.testing.Tenant;
import linegate.testing.Webhooks;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tenants: an Instagram account or a Page belongs to one active line, and its webhook events reach that line only. An
 * account that asks for a line on another account's Instagram id is refused, and even with an inactive line on that id
 * it reads none of the other account's customers' messages through MessageStatus.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class OneLinePerMetaIdTest {
    private static final String STATUS = "/api/v2/MessageStatus.php";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    @Test
    void anotherAccountCannotTakeAnInstagramIdAndReadsNoneOfItsMessages() {
        try (Gateway gw = Gateway.start(db, tmp, Webhooks.env())) {
            Webhooks hooks = new Webhooks(gw);
            Tenant intruder = Tenant.newAccount(gw, "Clinic C", LineClass.INSTAGRAM, "EAAGclinicCPageToken0123");

            assertThatThrownBy(() -> gw.stores().lines().create(new NewLine(intruder.accountId(), LineClass.INSTAGRAM,
                    Optional.of(new PageAccessToken("EAAGclinicCPageToken0123")), Optional.of(Gateway.IG_ACCOUNT_ID),
                    Optional.empty(), true, false)))
                    .isInstanceOf(MetaIdInUseException.class)
                    .hasMessageContaining("already belongs to active line " + gw.lineId);
            // an inactive line may hold the id (a line being replaced), but it is out of service: no events reach it
            long parked = gw.stores().lines().create(new NewLine(intruder.accountId(), LineClass.INSTAGRAM,
                    Optional.empty(), Optional.of(Gateway.IG_ACCOUNT_ID), Optional.empty(), false, false));

            String peer = Webhooks.newId("125447");
            String mid = Webhooks.newIgMid();
            hooks.deliver(Webhooks.igMessage(Gateway.IG_ACCOUNT_ID, peer, mid, System.currentTimeMillis() - 5_000));

            assertThat(hooks.rows(gw.lineId)).singleElement().satisfies(r -> assertThat(r.metaMessageId()).contains(mid));
            assertThat(hooks.rows(parked)).isEmpty();
            assertThat(hooks.rows(intruder.lineId())).isEmpty();
            assertThat(hooks.count("SELECT COUNT(*) FROM message_log WHERE account_id = " + intruder.accountId())).isZero();
            assertThat(hooks.count("SELECT COUNT(*) FROM conversations WHERE line_id = " + parked)).isZero();
            long cdlsId = hooks.rows(gw.lineId).getFirst().id();
            assertThat(status(gw, gw.tsid, cdlsId).status()).isEqualTo(200);
            Gateway.Response theirs = status(gw, intruder.tsid(), cdlsId);
            assertThat(theirs.status()).isEqualTo(404);
            assertThat(theirs.statusCode()).isEqualTo(235);
            assertThat(theirs.raw()).doesNotContain(peer).doesNotContain(mid);

            // once the owner's line is deactivated, the parked line may take the id over, and only then hears it
            gw.stores().lines().update(gw.lineId, new LineChanges(Optional.empty(), Optional.of(false), Optional.empty()));
            gw.stores().lines().update(parked, new LineChanges(Optional.empty(), Optional.of(true), Optional.empty()));
            String later = Webhooks.newIgMid();
            hooks.deliver(Webhooks.igMessage(Gateway.IG_ACCOUNT_ID, peer, later, System.currentTimeMillis() - 1_000));
            assertThat(hooks.rows(parked)).singleElement().satisfies(r -> assertThat(r.metaMessageId()).contains(later));
            assertThat(hooks.rows(gw.lineId)).hasSize(1);
        }
    }

    @Test
    void anUpgradeDeactivatesTheLaterOfTwoActiveLinesOnOneIdAndEventsReachTheFirstOnly() throws Exception {
        Map<String, String> env = new HashMap<>(db.freshEnv(tmp));
        env.putAll(Webhooks.env());
        String url = env.get("LINEGATE_DB_URL");
        String user = env.getOrDefault("LINEGATE_DB_USER", "");
        Flyway.configure().dataSource(url, user, "")
                .locations("classpath:db/migration/" + (db == TestDb.SQLITE ? "sqlite" : "postgresql"))
                .target("4").load().migrate();
        String sharedIg = "17841400000000555";
        String sharedPage = "107346828700555";
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO accounts (name, created_at) VALUES ('Clinic A', 0), ('Clinic C', 0)");
            String line = "INSERT INTO lines (account_id, class, active, ig_account_id, page_id, human_agent, created_at,"
                    + " updated_at) VALUES ";
            s.execute(line + "(1, 'instagram', TRUE, '" + sharedIg + "', NULL, FALSE, 0, 0)");     // 1: keeps it
            s.execute(line + "(2, 'instagram', TRUE, '" + sharedIg + "', NULL, FALSE, 0, 0)");     // 2: deactivated
            s.execute(line + "(2, 'instagram', FALSE, '" + sharedIg + "', NULL, FALSE, 0, 0)");    // 3: stays inactive
            s.execute(line + "(2, 'messenger', TRUE, NULL, '" + sharedPage + "', FALSE, 0, 0)");   // 4: keeps it
            s.execute(line + "(1, 'messenger', TRUE, NULL, '" + sharedPage + "', FALSE, 0, 0)");   // 5: deactivated
        }

        try (Gateway gw = Gateway.start(env)) {
            var lines = gw.stores().lines();
            assertThat(lines.find(1).orElseThrow().active()).isTrue();
            assertThat(lines.find(2).orElseThrow().active()).isFalse();
            assertThat(lines.find(2).orElseThrow().updatedAtMillis()).isPositive();
            assertThat(lines.find(3).orElseThrow().active()).isFalse();
            assertThat(lines.find(4).orElseThrow().active()).isTrue();
            assertThat(lines.find(5).orElseThrow().active()).isFalse();

            Webhooks hooks = new Webhooks(gw);
            String mid = Webhooks.newIgMid();
            hooks.deliver(Webhooks.igMessage(sharedIg, Webhooks.newId("125447"), mid, System.currentTimeMillis() - 5_000));
            assertThat(hooks.rows(1)).singleElement().satisfies(r -> assertThat(r.metaMessageId()).contains(mid));
            assertThat(hooks.rows(2)).isEmpty();
            assertThat(hooks.rows(3)).isEmpty();
            assertThatThrownBy(() -> lines.update(2, new LineChanges(Optional.empty(), Optional.of(true), Optional.empty())))
                    .isInstanceOf(MetaIdInUseException.class);
        }
    }

    private static Gateway.Response status(Gateway gw, String tsid, long cdlsId) {
        return gw.get(STATUS + "?tsid=" + URLEncoder.encode(tsid, StandardCharsets.UTF_8) + "&cdls_id=" + cdlsId);
    }
}
