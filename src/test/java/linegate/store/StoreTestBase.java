package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

/**
 * The fixture of store test classes: each runs once on SQLite and once on PostgreSQL, every test on a fresh database
 * opened through {@link Stores} as serve opens it, with one account ("Acme Dental"). A subclass's own
 * {@code @BeforeEach} methods run after this one's, so they can add lines and rows to {@link #account}.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
abstract class StoreTestBase {
    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    StoreFixture fx;
    Stores stores;
    long account;

    @BeforeEach
    final void openStores() {
        fx = new StoreFixture(db, tmp);
        stores = fx.open();
        account = stores.accounts().create("Acme Dental");
    }

    @AfterEach
    final void closeStores() {
        stores.close();
    }
}
