package linegate.health;

import linegate.meta.GraphError;
import linegate.meta.GraphOutcome;
import linegate.meta.MetaUsage;
import linegate.store.LineClass;
import linegate.store.LineHealth;
import linegate.store.NewLine;
import linegate.store.Stores;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The tracker records what answers show, and a database it cannot write to never reaches the send that reported. */
class LineHealthTrackerTest {
    private static final GraphOutcome TOKEN_REJECTED = new GraphOutcome.Rejected(new GraphError(190, 460,
            "OAuthException", "Error validating access token", "AbC", 400, Optional.empty()), MetaUsage.NONE);

    private static Stores open(Map<String, String> env) {
        return Stores.open(env.get("LINEGATE_DB_URL"), "", "", Base64.getDecoder().decode(env.get("LINEGATE_MASTER_KEY")),
                Clock.systemUTC());
    }

    @Test
    void anAnswerIsRecordedAndAFailingDatabaseIsLoggedNotThrown(@TempDir Path tmp) {
        Map<String, String> env = TestDb.SQLITE.freshEnv(tmp);
        Stores stores = open(env);
        long account = stores.accounts().create("Acme Dental");
        long line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(),
                Optional.of("17841405793187218"), Optional.empty(), true, false));
        LineHealthTracker tracker = new LineHealthTracker(stores.lines());

        tracker.observe(line, TOKEN_REJECTED);
        assertThat(stores.lines().find(line).orElseThrow().health()).isEqualTo(LineHealth.TOKEN_REJECTED);

        stores.close();
        assertThatCode(() -> tracker.observe(line, new GraphOutcome.Sent("m_1", "1254", MetaUsage.NONE)))
                .doesNotThrowAnyException();
        try (Stores again = open(env)) {
            assertThat(again.lines().find(line).orElseThrow().health()).as("not recorded")
                    .isEqualTo(LineHealth.TOKEN_REJECTED);
        }
    }
}
