package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing answered is lost when the process dies mid-batch: a child JVM appends through the batching writer on SQLite
 * and prints each id once its append returned; after a SIGKILL in the middle of the stream, every printed id is on
 * disk and the database file is intact.
 */
class BatchingMessageLogWriterKillTest {
    @TempDir
    Path tmp;

    Process child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void everyIdPrintedBeforeASigkillIsOnDisk() throws Exception {
        String url = "jdbc:sqlite:" + tmp.resolve("linegate.db");
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                AppendLoop.class.getName(), url)
                .redirectError(tmp.resolve("child.err").toFile())
                .start();
        List<Long> printed = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (printed.size() < 2_000 && (line = out.readLine()) != null) {
                printed.add(Long.parseLong(line));
            }
            // SIGKILL: no shutdown hook, no close(), batches in flight. Through the ProcessHandle, because
            // Process.destroyForcibly also closes our end of the pipe, and with it the ids still unread in it.
            assertThat(child.toHandle().destroyForcibly()).isTrue();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // ids the child had written to the pipe before it died
            while ((line = out.readLine()) != null) {
                if (!line.isEmpty() && line.chars().allMatch(Character::isDigit)) {
                    printed.add(Long.parseLong(line));
                }
            }
        }
        assertThat(printed).as("the child printed ids (see child.err otherwise)").hasSizeGreaterThanOrEqualTo(2_000);

        StoreFixture fx = new StoreFixture(TestDb.SQLITE, tmp);
        assertThat(fx.one("PRAGMA integrity_check")).containsValue("ok");
        Set<Long> onDisk = new HashSet<>();
        fx.query("SELECT id FROM message_log").forEach(row -> onDisk.add(StoreFixture.asLong(row.get("id"))));
        assertThat(onDisk).containsAll(printed);
    }
}
