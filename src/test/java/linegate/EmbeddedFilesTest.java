package linegate;

import linegate.store.StoreUnavailableException;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import linegate.testing.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded database's files on disk: only Linegate's user may read them (folder 0700, files 0600, as master.key),
 * from the first start on, after writes, and for files an older version left readable; and a data folder Linegate
 * cannot write is named as the problem, not the database credentials.
 */
class EmbeddedFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aFreshStartMakesTheFolder0700AndEveryDatabaseFile0600AndWritesKeepThemSo() throws IOException {
        Path data = tmp.resolve("data");
        Map<String, String> env = Map.of("LINEGATE_DB_URL", "jdbc:sqlite:" + data.resolve("linegate.db"));

        try (Gateway gw = Gateway.start(env)) {
            assertModes(data);
            send(gw);
            assertModes(data);
            assertThat(mode(data.resolve("master.key"))).isEqualTo("rw-------");
        }
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("linegate.db"))).isEqualTo("rw-------");
        try (Gateway again = Gateway.start(env)) { // SQLite removed -wal and -shm when the last connection closed
            send(again);
            assertModes(data);
        }
    }

    @Test
    void filesAnOlderVersionLeftReadableByOthersAreNarrowedAtStart() throws IOException {
        Path data = tmp.resolve("data");
        Map<String, String> env = Map.of("LINEGATE_DB_URL", "jdbc:sqlite:" + data.resolve("linegate.db"),
                "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY);
        Gateway.start(env).close();
        for (String f : new String[] {"linegate.db", "linegate.db-wal", "linegate.db-shm"}) {
            Path file = data.resolve(f);
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }

        try (Gateway gw = Gateway.start(env)) {
            assertModes(data);
            send(gw);
            assertModes(data);
        }
    }

    @Test
    void aReadOnlyDataFolderIsNamedAsTheProblemNotTheCredentials() {
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("data"), "4m")) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "LINEGATE_DB_URL", "jdbc:sqlite:" + disk.folder().resolve("linegate.db")));
            Gateway.start(env).close(); // a database, its master key, then the folder goes read-only
            disk.readOnly();

            assertThatThrownBy(() -> Gateway.start(env))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("the database folder " + disk.folder().toAbsolutePath() + " is not writable")
                    .hasMessageContaining("LINEGATE_DB_URL at a writable folder")
                    .hasMessageNotContaining("LINEGATE_DB_USER").hasMessageNotContaining("PASSWORD");

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"line", "list"}, env, new PrintStream(out), new PrintStream(err));
            String stderr = err.toString(StandardCharsets.UTF_8);
            assertThat(code).as(stderr).isEqualTo(1);
            assertThat(stderr).startsWith("linegate: the database folder " + disk.folder().toAbsolutePath())
                    .contains("not writable").doesNotContain("LINEGATE_DB_USER").doesNotContain("\tat ");
            assertThat(stderr.strip().lines()).hasSize(1);
        }
    }

    @Test
    void anEmptyReadOnlyDataFolderSaysSoToo() {
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("data"), "1m")) {
            disk.readOnly();
            Map<String, String> env = Map.of("LINEGATE_DB_URL", "jdbc:sqlite:" + disk.folder().resolve("linegate.db"),
                    "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY);

            assertThatThrownBy(() -> Gateway.start(env))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("the database folder " + disk.folder().toAbsolutePath() + " is not writable")
                    .hasMessageNotContaining("LINEGATE_DB_USER");
        }
    }

    private static void send(Gateway gw) {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        Gateway.Response r = gw.postJson("/api/v2/MakeInstagram.php",
                gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"Thanks for reaching out\""));
        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
    }

    private static void assertModes(Path data) throws IOException {
        assertThat(mode(data)).as("data folder").isEqualTo("rwx------");
        for (String f : new String[] {"linegate.db", "linegate.db-wal", "linegate.db-shm"}) {
            assertThat(data.resolve(f)).as(f).exists();
            assertThat(mode(data.resolve(f))).as(f).isEqualTo("rw-------");
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
