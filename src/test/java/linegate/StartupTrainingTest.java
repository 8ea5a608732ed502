package linegate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launcher's start-up training: a real node on a fresh SQLite file, UP, then stopped. */
class StartupTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void startsANodeOnAFreshDatabaseWaitsForHealthThenStopsIt() throws Exception {
        StartupTraining.Trained trained = StartupTraining.train(tmp, Clock.systemUTC());

        assertThat(trained.health()).startsWith("HTTP/1.1 200").contains("\"status\":\"UP\"");
        assertThat(trained.port()).isPositive();
        // stopped: nothing listens on its port any more
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), trained.port()).close())
                .isInstanceOf(IOException.class);
        // migrated from empty in the folder it was given, not in the operator's database
        Path db = tmp.resolve("training.db");
        assertThat(Files.exists(db)).isTrue();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(10);
        }
    }
}
