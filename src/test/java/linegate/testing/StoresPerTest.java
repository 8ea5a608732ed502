package linegate.testing;

import linegate.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * The fixture of test classes that drive services over the stores with a clock they move by hand: each runs once on
 * SQLite and once on PostgreSQL, every test on a fresh database opened through {@link Stores} as serve opens it. A
 * subclass's own {@code @BeforeEach} methods run after this one's.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
public abstract class StoresPerTest {
    @Parameter
    protected TestDb db;

    @TempDir
    protected Path tmp;

    protected final MovableClock clock;
    protected Stores stores;

    protected StoresPerTest(Instant start) {
        this.clock = new MovableClock(start);
    }

    @BeforeEach
    final void openStores() {
        Map<String, String> env = db.freshEnv(tmp);
        stores = Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(env.get("LINEGATE_MASTER_KEY")), clock);
    }

    @AfterEach
    final void closeStores() {
        stores.close();
    }
}
