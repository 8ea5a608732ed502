package linegate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import linegate.store.Stores;
import linegate.store.events.CallbackTarget;
import linegate.testing.TestDb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code linegate account update ID --callback-url | --rotate-secret} and {@code linegate events list | redeliver}, as
 * an operator runs them through Main: what they print, what they store (secrets sealed), how they refuse.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class CallbackCommandsTest {
    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Map<String, String> env;
    long account;

    @BeforeEach
    void freshDatabase() {
        env = new HashMap<>(db.freshEnv(tmp));
        account = run("account", "create", "--name", "Acme").ok().single().get("id").asLong();
    }

    OperatorCommandsTest.Run run(String... args) {
        return OperatorCommandsTest.run(env, args);
    }

    String id() {
        return Long.toString(account);
    }

    Stores stores() {
        return Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(env.get("LINEGATE_MASTER_KEY")), Clock.systemUTC());
    }

    String rawColumn(String column) {
        try (Connection c = DriverManager.getConnection(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM accounts WHERE id = " + account)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    CallbackTarget target() {
        try (Stores s = stores()) {
            return s.callbacks().find(account).orElseThrow();
        }
    }

    @Test
    void settingTheUrlPrintsTheSecretOnceAndStoresItSealed() {
        env.put("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true");
        JsonNode set = run("account", "update", id(), "--callback-url", "http://127.0.0.1:9/crm").ok().single();

        assertThat(OperatorCommandsTest.fields(set)).containsExactly("id", "callback_url", "callback_secret");
        String secret = set.get("callback_secret").asText();
        assertThat(secret).matches("whsec_[A-Za-z0-9_-]{43}");
        assertThat(rawColumn("callback_secret")).startsWith("v1.").doesNotContain(secret.substring(6));
        assertThat(target().secret()).isEqualTo(secret);
        assertThat(target().toString()).doesNotContain(secret);

        JsonNode again = run("account", "update", id(), "--callback-url", "http://127.0.0.1:9/other").ok().single();
        assertThat(OperatorCommandsTest.fields(again)).as("the secret is shown only when made")
                .containsExactly("id", "callback_url");
        assertThat(target().url()).isEqualTo("http://127.0.0.1:9/other");
        assertThat(target().secret()).isEqualTo(secret);
    }

    @Test
    void rotatingKeepsTheOldSecretSigningFor24Hours() {
        env.put("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true");
        String first = run("account", "update", id(), "--callback-url", "http://127.0.0.1:9/crm").ok().single()
                .get("callback_secret").asText();
        JsonNode rotated = run("account", "update", id(), "--rotate-secret").ok().single();

        String second = rotated.get("callback_secret").asText();
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);
        assertThat(Duration.between(Instant.now(), Instant.parse(rotated.get("previous_secret_valid_until").asText())))
                .isBetween(Duration.ofHours(23), Duration.ofHours(24));
        assertThat(target().secret()).isEqualTo(second);
        assertThat(target().previousSecret()).contains(first);
        assertThat(rawColumn("callback_secret_previous")).doesNotContain(first.substring(6));
    }

    @Test
    void anEmptyUrlRemovesTheUrlAndBothSecrets() {
        env.put("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true");
        run("account", "update", id(), "--callback-url", "http://127.0.0.1:9/crm").ok();
        run("account", "update", id(), "--rotate-secret").ok();

        JsonNode removed = run("account", "update", id(), "--callback-url", "").ok().single();

        assertThat(removed.get("callback_url").isNull()).isTrue();
        for (String column : List.of("callback_url", "callback_secret", "callback_secret_previous")) {
            assertThat(rawColumn(column)).as(column).isNull();
        }
        run("account", "update", id(), "--rotate-secret").refused(1, "has no callback URL", "--callback-url URL");
    }

    @Test
    void aLoopbackUrlIsRefusedUnlessPrivateAddressesAreAllowed() {
        run("account", "update", id(), "--callback-url", "http://127.0.0.1:9/crm")
                .refused(1, "resolves to 127.0.0.1, a loopback address", "LINEGATE_CALLBACK_ALLOW_PRIVATE=true");
        run("account", "update", id(), "--callback-url", "http://169.254.169.254/latest/meta-data")
                .refused(1, "a cloud metadata address");
        run("account", "update", id(), "--callback-url", "https://10.1.2.3/crm").refused(1, "a private address");
        assertThat(rawColumn("callback_url")).isNull();
        assertThat(rawColumn("callback_secret")).isNull();
    }

    @Test
    void badUrlsAreRefusedWithTheReasonAndWithoutEchoingThem() {
        run("account", "update", id(), "--callback-url", "ftp://crm.example.com/x").refused(1, "https://");
        run("account", "update", id(), "--callback-url", "https://admin:hunter2@crm.example.com/")
                .refused(1, "user name or password");
        assertThat(run("account", "update", id(), "--callback-url", "https://admin:hunter2@crm.example.com/").err())
                .doesNotContain("hunter2");
        run("account", "update", id()).refused(1, "nothing to update");
        run("account", "update", "999", "--rotate-secret").refused(1, "account 999 does not exist");
        env.put("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true");
        run("account", "update", "999", "--callback-url", "http://127.0.0.1:9/").refused(1, "account 999 does not exist");
    }

    @Test
    void eventsListAndRedeliverByAccountStateSinceAndEvent() {
        env.put("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true");
        run("account", "update", id(), "--callback-url", "http://127.0.0.1:9/crm").ok();
        long t = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
        insertEvent("evt_a", 1, t, "dead");
        insertEvent("evt_b", 2, t + 60_000, "delivered");
        insertEvent("evt_c", 3, t + 120_000, "pending");

        List<JsonNode> dead = run("events", "list", "--account", id(), "--state", "dead").ok().json();
        assertThat(dead).hasSize(1);
        assertThat(dead.getFirst().get("event_id").asText()).isEqualTo("evt_a");
        assertThat(dead.getFirst().get("last_error").asText()).isEqualTo("HTTP 500");
        assertThat(run("events", "list").ok().json()).extracting(n -> n.get("event_id").asText())
                .containsExactly("evt_c", "evt_b", "evt_a");

        JsonNode since = run("events", "redeliver", "--account", id(), "--since", "2026-12-01T10:01:00Z").ok().single();
        assertThat(since.get("redelivered").asInt()).as("evt_b only: evt_c is pending already").isEqualTo(1);
        JsonNode one = run("events", "redeliver", "--account", id(), "--event", "evt_a").ok().single();
        assertThat(one.get("redelivered").asInt()).isEqualTo(1);
        assertThat(run("events", "list", "--state", "pending").ok().json())
                .extracting(n -> n.get("event_id").asText() + ":" + n.get("attempts").asInt())
                .as("redelivered with a fresh count; evt_c untouched").containsExactly("evt_c:3", "evt_b:0", "evt_a:0");

        run("events", "list", "--state", "lost").refused(1, "state (--state) must be");
        run("events", "redeliver", "--account", id(), "--since", "yesterday").refused(1, "ISO-8601");
        run("events", "redeliver", "--account", id(), "--event", "evt_zzz").refused(1, "no delivered or dead event");
        run("account", "update", id(), "--callback-url", "").ok();
        run("events", "redeliver", "--account", id()).refused(1, "has no callback URL");
    }

    void insertEvent(String eventId, long seq, long occurredAt, String delivery) {
        try (Connection c = DriverManager.getConnection(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "");
             Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO events (event_id, account_id, seq, type, line_id, peer_id, occurred_at, delivery,"
                    + " attempts, next_attempt_at, last_error, created_at) VALUES ('" + eventId + "', " + account + ", " + seq
                    + ", 'message.received', 1, 'cust', " + occurredAt + ", '" + delivery + "', 3, " + occurredAt + ", "
                    + (delivery.equals("dead") ? "'HTTP 500'" : "NULL") + ", " + occurredAt + ")");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
