package linegate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The master key: given in LINEGATE_MASTER_KEY, or in embedded mode generated once into master.key (mode 0600). */
class MasterKeyTest {
    @TempDir
    Path tmp;

    private Map<String, String> sqliteEnv(Path dbFile) {
        return Map.of("LINEGATE_DB_URL", "jdbc:sqlite:" + dbFile);
    }

    @Test
    void withSqliteAndNoKeyAKeyFileIsGeneratedBesideTheDatabaseWithMode0600() throws Exception {
        Path dbFile = tmp.resolve("data/linegate.db");

        MasterKey key = LinegateConfig.fromEnvironment(sqliteEnv(dbFile)).masterKey().get();

        Path file = tmp.resolve("data/master.key");
        assertThat(file).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] stored = Base64.getDecoder().decode(Files.readString(file).strip());
        assertThat(stored).hasSize(32).isEqualTo(key.bytes());
        try (var files = Files.list(tmp.resolve("data"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactly("master.key");
        }
    }

    @Test
    void aSecondLoadReturnsTheSameKeyAndLeavesTheFileAsItWas() throws Exception {
        Path dbFile = tmp.resolve("linegate.db");
        MasterKey first = LinegateConfig.fromEnvironment(sqliteEnv(dbFile)).masterKey().get();
        String fileBefore = Files.readString(tmp.resolve("master.key"));

        MasterKey second = LinegateConfig.fromEnvironment(sqliteEnv(dbFile)).masterKey().get();

        assertThat(second).isEqualTo(first);
        assertThat(second.bytes()).isEqualTo(first.bytes());
        assertThat(Files.readString(tmp.resolve("master.key"))).isEqualTo(fileBefore);
    }

    @Test
    void anotherDataFolderGetsAnotherKey() {
        MasterKey a = LinegateConfig.fromEnvironment(sqliteEnv(tmp.resolve("a/linegate.db"))).masterKey().get();
        MasterKey b = LinegateConfig.fromEnvironment(sqliteEnv(tmp.resolve("b/linegate.db"))).masterKey().get();

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void theKeyIsGeneratedOnlyWhenFirstAskedFor() {
        LinegateConfig c = LinegateConfig.fromEnvironment(sqliteEnv(tmp.resolve("linegate.db")));
        assertThat(tmp.resolve("master.key")).doesNotExist();

        MasterKey key = c.masterKey().get();

        assertThat(tmp.resolve("master.key")).exists();
        assertThat(c.masterKey().get()).isSameAs(key);
    }

    @Test
    void twoThreadsLoadingAtOnceAgreeOnOneKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 25; round++) {
                Path dbFile = tmp.resolve("round" + round + "/linegate.db");
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<MasterKey>> keys = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    keys.add(pool.submit(() -> {
                        LinegateConfig c = LinegateConfig.fromEnvironment(sqliteEnv(dbFile)); // a process of its own
                        start.await(5, TimeUnit.SECONDS);
                        return c.masterKey().get();
                    }));
                }
                MasterKey first = keys.getFirst().get(10, TimeUnit.SECONDS);
                for (Future<MasterKey> k : keys) {
                    assertThat(k.get(10, TimeUnit.SECONDS)).as("round " + round).isEqualTo(first);
                }
                assertThat(MasterKey.fromBase64(Files.readString(dbFile.resolveSibling("master.key")))).isEqualTo(first);
                try (var files = Files.list(dbFile.getParent())) {
                    assertThat(files.map(p -> p.getFileName().toString())).containsExactly("master.key");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExistingKeyFileIsUsedAsItIs() throws Exception {
        String given = Base64.getEncoder().encodeToString(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        Files.writeString(tmp.resolve("master.key"), given + "\n");

        MasterKey key = LinegateConfig.fromEnvironment(sqliteEnv(tmp.resolve("linegate.db"))).masterKey().get();

        assertThat(key).isEqualTo(MasterKey.fromBase64(given));
    }

    @Test
    void aCorruptKeyFileStopsWithOneLineNamingTheFile() throws Exception {
        Path file = tmp.resolve("master.key");
        Files.writeString(file, "this is not a key\n");

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> LinegateConfig.fromEnvironment(sqliteEnv(tmp.resolve("linegate.db"))).masterKey().get());

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n").contains(file.toString()).contains("LINEGATE_MASTER_KEY");
        assertThat(Files.readString(file)).as("never overwritten: tokens sealed under it would be lost")
                .isEqualTo("this is not a key\n");
    }

    @Test
    void aKeyFolderThatCannotBeCreatedStopsWithOneLineAndTheFix() throws Exception {
        Files.writeString(tmp.resolve("not-a-folder"), "x");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> LinegateConfig.fromEnvironment(
                sqliteEnv(tmp.resolve("not-a-folder/linegate.db"))).masterKey().get());

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n").contains("master.key").contains("LINEGATE_MASTER_KEY");
    }

    @Test
    void fromBase64AcceptsSurroundingSpaceAndGivesACopyOfTheBytes() {
        byte[] raw = new byte[32];
        raw[0] = 9;
        MasterKey key = MasterKey.fromBase64("  " + Base64.getEncoder().encodeToString(raw) + "\n");

        byte[] out = key.bytes();
        assertThat(out).isEqualTo(raw);
        out[0] = 0;
        assertThat(key.bytes()[0]).as("callers cannot change the key").isEqualTo((byte) 9);
        assertThat(key).hasSameHashCodeAs(MasterKey.fromBase64(Base64.getEncoder().encodeToString(raw)));
    }

    @Test
    void aKeyPrintsAsRedacted() {
        MasterKey key = MasterKey.fromBase64(LinegateConfigTest.KEY);

        assertThat(key.toString()).isEqualTo("MasterKey[REDACTED]").doesNotContain(LinegateConfigTest.KEY);
    }
}
