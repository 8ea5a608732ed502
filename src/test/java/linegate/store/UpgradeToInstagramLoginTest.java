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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Upgrading a database of schema V11 to V12 (Instagram Login lines, token checks): every line there was is a Facebook
 * Login line with no known token expiry, due for its first token check, and the login column takes nothing else.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class UpgradeToInstagramLoginTest {
    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    @Test
    void linesOfV11BecomeFacebookLoginLinesDueForTheirFirstCheck() throws Exception {
        Map<String, String> env = db.freshEnv(tmp);
        String url = env.get("LINEGATE_DB_URL");
        String user = env.getOrDefault("LINEGATE_DB_USER", "");
        Flyway.configure().dataSource(url, user, "")
                .locations("classpath:db/migration/" + (db == TestDb.SQLITE ? "sqlite" : "postgresql"))
                .target("11").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO accounts (name, created_at) VALUES ('Acme Dental', 0)");
            s.execute("INSERT INTO lines (account_id, class, active, ig_account_id, human_agent, created_at, updated_at)"
                    + " VALUES (1, 'instagram', TRUE, '17841405793187218', FALSE, 0, 0)");
        }

        try (Stores stores = Stores.open(url, user, "", Base64.getDecoder().decode(TestDb.MASTER_KEY), Clock.systemUTC())) {
            Line line = stores.lines().find(1).orElseThrow();
            assertThat(line.login()).isEqualTo(LineLogin.FACEBOOK);
            assertThat(line.tokenExpiresAtMillis()).isEmpty();
            assertThat(line.tokenIssuedAtMillis()).isEmpty();
            stores.lines().update(1, new LineChanges(Optional.of(new PageAccessToken("EAAGm0PX4ZCpsBAupgradedToken0123")),
                    Optional.empty(), Optional.empty()));
            assertThat(stores.lines().tokens().dueForCheck(Long.MAX_VALUE, 10)).extracting(t -> t.lineId())
                    .containsExactly(1L);
        }
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("UPDATE lines SET login = 'threads' WHERE id = 1"))
                    .isInstanceOf(SQLException.class);
        }
    }
}
