package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening the database: Flyway's migrations, several processes on one database, and unavailability. */
@ParameterizedClass
@EnumSource(TestDb.class)
class DatabaseTest {
    /** The migrations each flavour has: V1 core, V2 idempotent msg_id, V3 webhooks, V4 lookup generation, V5 send
     * reconciliation, V6 one line per Meta id, V7 events, V8 line health and window warnings, V9 queued sends, V10
     * usage pauses and line budgets, V11 message options, V12 Instagram Login lines, V13 comments, V14 the operators'
     * API. */
    private static final int MIGRATIONS = 14;

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    @Test
    void theFirstOpenMigratesTheSchemaFromTheFlavoursMigrations() {
        StoreFixture fx = new StoreFixture(db, tmp);
        try (Stores stores = fx.open()) {
            assertThat(stores.db().kind()).isEqualTo(db == TestDb.SQLITE ? Database.Kind.SQLITE : Database.Kind.POSTGRESQL);
            assertThat(stores.db().ping()).isTrue();
        }
        List<Map<String, Object>> history = fx.query(
                "SELECT version, script, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank");
        assertThat(history).extracting(r -> r.get("version")).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
                "12", "13", "14");
        assertThat(history).extracting(r -> r.get("script")).containsExactly("V1__core.sql", "V2__idempotent_msg_id.sql",
                "V3__webhooks.sql", "V4__lookup_generation.sql", "V5__send_reconciliation.sql", "V6__one_line_per_meta_id.sql",
                "V7__events.sql", "V8__line_health_and_window_warnings.sql", "V9__queued_sends.sql",
                "V10__usage_pauses_and_line_budgets.sql", "V11__message_options.sql", "V12__instagram_login_and_token_checks.sql",
                "V13__comments.sql", "V14__operators_api.sql");
        for (String table : List.of("accounts", "api_tokens", "lines", "message_log", "events")) {
            assertThat(fx.query("SELECT COUNT(*) AS n FROM " + table)).as(table).hasSize(1);
        }
    }

    @Test
    void aSecondNodeOpensTheSameDatabaseWithoutRerunningMigrations() {
        StoreFixture fx = new StoreFixture(db, tmp);
        try (Stores first = fx.open()) {
            long account = first.accounts().create("Acme");
            Object installedOn = fx.one("SELECT installed_on FROM flyway_schema_history WHERE version = '1'").get("installed_on");

            try (Stores second = fx.open()) {
                assertThat(second.accounts().exists(account)).isTrue();
                long line = second.lines().create(new NewLine(account, LineClass.INSTAGRAM,
                        Optional.of(new PageAccessToken("EAAGsharedBetweenNodes1234")), Optional.empty(), Optional.empty(),
                        true, false));
                assertThat(first.lines().find(line).orElseThrow().pageToken().orElseThrow().reveal())
                        .isEqualTo("EAAGsharedBetweenNodes1234");
                Tokens.Created token = first.tokens().create(account, null);
                assertThat(second.tokens().accountOf(token.tsid())).contains(account);
            }

            assertThat(fx.query("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL")).hasSize(MIGRATIONS);
            assertThat(fx.one("SELECT installed_on FROM flyway_schema_history WHERE version = '1'").get("installed_on"))
                    .isEqualTo(installedOn);
            assertThat(first.accounts().exists(account)).isTrue();
        }
    }

    @Test
    void twoNodesStartingAtOnceOnAnEmptyDatabaseBothOpenAndMigrateOnce() throws Exception {
        StoreFixture fx = new StoreFixture(db, tmp);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Stores>> nodes = List.of(
                    pool.submit(() -> {
                        together.await();
                        return fx.open();
                    }),
                    pool.submit(() -> {
                        together.await();
                        return fx.open();
                    }));
            try (Stores a = nodes.get(0).get(60, java.util.concurrent.TimeUnit.SECONDS);
                 Stores b = nodes.get(1).get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                long account = a.accounts().create("Acme");
                assertThat(b.accounts().exists(account)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fx.query("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL")).hasSize(MIGRATIONS);
    }

    @Test
    void reopeningKeepsEveryRow() {
        StoreFixture fx = new StoreFixture(db, tmp);
        long account;
        try (Stores stores = fx.open()) {
            account = stores.accounts().create("Acme");
        }
        try (Stores stores = fx.open()) {
            assertThat(stores.accounts().exists(account)).isTrue();
            assertThat(stores.accounts().create("Next")).isGreaterThan(account);
        }
        assertThat(fx.query("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL")).hasSize(MIGRATIONS);
    }

    @Test
    void aClosedDatabaseIsUnavailableNotABug() {
        StoreFixture fx = new StoreFixture(db, tmp);
        Stores stores = fx.open();
        stores.close();

        assertThat(stores.db().ping()).isFalse();
        assertThatThrownBy(() -> stores.accounts().exists(1))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("database unavailable");
    }
}
