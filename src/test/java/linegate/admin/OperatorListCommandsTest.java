package linegate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import linegate.store.LineClass;
import linegate.store.NewLogEntry;
import linegate.store.Stores;
import linegate.testing.TestDb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line's reading commands and what issue 16 added (account list, token list, log list's filters, log show,
 * line update --page-id/--ig-account-id, the warning for an Instagram line without its id, help on every level), as a
 * user runs them through {@code Main.run}, on both databases.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class OperatorListCommandsTest {
    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Map<String, String> env;

    @BeforeEach
    void freshDatabase() {
        env = new HashMap<>(db.freshEnv(tmp));
    }

    OperatorCommandsTest.Run run(String... args) {
        return OperatorCommandsTest.run(env, args);
    }

    Stores stores() {
        return Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                java.util.Base64.getDecoder().decode(env.get("LINEGATE_MASTER_KEY")), java.time.Clock.systemUTC());
    }

    @Test
    void accountListShowsEveryAccountWithoutSecrets() {
        run("account", "create", "--name", "Acme").ok();
        run("account", "create", "--name", "Bright").ok();
        env.put("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true");
        run("account", "update", "1", "--callback-url", "http://127.0.0.1:9/hook").ok();

        List<JsonNode> accounts = run("account", "list").ok().json();

        assertThat(accounts).extracting(a -> a.get("name").asText()).containsExactly("Acme", "Bright");
        assertThat(OperatorCommandsTest.fields(accounts.getFirst()))
                .containsExactly("id", "name", "callback_url", "created_at", "dead_events");
        assertThat(accounts.getFirst().get("callback_url").asText()).isEqualTo("http://127.0.0.1:9/hook");
        assertThat(run("account", "list").out()).doesNotContain("whsec_");
    }

    @Test
    void tokenListShowsLabelsAndRevocationNeverTheToken() {
        run("account", "create", "--name", "Acme").ok();
        String first = run("token", "create", "--account", "1", "--label", "crm").ok().single().get("tsid").asText();
        String second = run("token", "create", "--account", "1").ok().single().get("tsid").asText();
        run("token", "revoke", "1").ok();

        OperatorCommandsTest.Run listed = run("token", "list", "--account", "1").ok();

        assertThat(listed.out()).doesNotContain(first).doesNotContain(second).doesNotContain("tsid");
        List<JsonNode> tokens = listed.json();
        assertThat(OperatorCommandsTest.fields(tokens.getFirst()))
                .containsExactly("id", "label", "created_at", "last_used_at", "revoked");
        assertThat(tokens).extracting(t -> t.get("revoked").asBoolean()).containsExactly(true, false);
        assertThat(tokens.getFirst().get("label").asText()).isEqualTo("crm");
        assertThat(tokens.get(1).get("label").isNull()).isTrue();
        run("token", "list", "--account", "9").refused(1, "account 9 does not exist");
    }

    @Test
    void logListFiltersAndLogShowReadsOneMessage() {
        run("account", "create", "--name", "Acme").ok();
        run("line", "create", "--account", "1", "--class", "instagram", "--ig-account-id", "17841405793187218").ok();
        long t0 = Instant.parse("2026-11-30T10:00:00Z").toEpochMilli();
        try (Stores s = stores()) {
            for (int i = 0; i < 4; i++) {
                s.log().append(new NewLogEntry(1, 1, LineClass.INSTAGRAM, "100" + i, "text", "hi " + i,
                        Optional.of("crm-" + i), Optional.empty(), Optional.empty(), t0 + i * 1000L));
            }
        }

        List<JsonNode> since = run("log", "list", "--since", "2026-11-30T10:00:02Z").ok().json();
        assertThat(since).extracting(m -> m.get("msg_id").asText()).containsExactly("crm-3", "crm-2");
        assertThat(run("log", "list", "--msg-id", "crm-1", "--line", "1", "--state", "accepted").ok().single()
                .get("dest").asText()).isEqualTo("1001");
        assertThat(run("log", "list", "--state", "sent").ok().out()).isEmpty();
        JsonNode shown = run("log", "show", "2").ok().single();
        assertThat(shown.get("cdls_id").asLong()).isEqualTo(2);
        assertThat(shown.get("mdata").asText()).isEqualTo("hi 1");
        run("log", "show", "77").refused(1, "message 77 does not exist");
        run("log", "list", "--state", "lost").refused(1, "state (--state) must be one of");
        run("log", "list", "--since", "yesterday").refused(1, "since (--since)", "ISO-8601");
    }

    @Test
    void lineUpdateSetsTheMetaIdsAndAnInstagramLineWithoutOneWarns() {
        run("account", "create", "--name", "Acme").ok();
        OperatorCommandsTest.Run created = run("line", "create", "--account", "1", "--class", "instagram");
        assertThat(created.code()).isZero();
        assertThat(created.out().strip()).isEqualTo("{\"id\":1}");
        assertThat(created.err()).startsWith("linegate: warning: line 1 is an Instagram line without ig_account_id")
                .contains("linegate line update 1 --ig-account-id ID");

        JsonNode updated = run("line", "update", "1", "--ig-account-id", "17841405793187218", "--page-id",
                "106540352242922").ok().single();

        assertThat(updated.get("ig_account_id").asText()).isEqualTo("17841405793187218");
        assertThat(updated.get("page_id").asText()).isEqualTo("106540352242922");
        run("line", "create", "--account", "1", "--class", "instagram", "--ig-account-id", "17841405793187218")
                .refused(1, "already belongs to active line 1");
        run("line", "update", "1", "--ig-account-id", "abc").refused(1, "ig_account_id (--ig-account-id)", "digits");
        run("line", "create", "--account", "1", "--class", "messenger", "--page-id", "99").ok();
    }

    @Test
    void helpWorksOnEveryLevel() {
        assertThat(run("help").ok().out()).contains("admin-token").contains("account").contains("log");
        for (String group : List.of("account", "token", "line", "log", "events", "queue", "admin-token")) {
            assertThat(run(group, "help").ok().out()).as(group).contains("Usage: linegate " + group);
            assertThat(run("help", group).ok().out()).as(group).contains("Usage: linegate " + group);
        }
        assertThat(run("line", "help", "update").ok().out()).contains("--ig-account-id").contains("--page-id");
        assertThat(run("log", "list", "--help").ok().out()).contains("--msg-id").contains("--since").contains("--line");
    }
}
