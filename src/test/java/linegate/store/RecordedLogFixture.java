package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The fixture of the tests of reported changes: per database, fresh stores, a message log whose recorder writes every
 * change it is told of into a scratch table ({@link ChangeTable}), one account and one active line of
 * {@link #lineClass()}.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
abstract class RecordedLogFixture {
    static final long T0 = StoreFixture.T0.toEpochMilli();

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    StoreFixture fx;
    Stores stores;
    ChangeTable recorded;
    MessageLog log;
    long account;
    long line;

    /** The class of the fixture's line. */
    abstract LineClass lineClass();

    @BeforeEach
    final void openRecordedLog() {
        fx = new StoreFixture(db, tmp);
        stores = fx.open();
        recorded = new ChangeTable(fx);
        log = new MessageLog(stores.db(), recorded);
        account = stores.accounts().create("Acme Dental");
        line = stores.lines().create(new NewLine(account, lineClass(), Optional.empty(), Optional.empty(),
                Optional.empty(), true, false));
    }

    @AfterEach
    final void closeRecordedLog() {
        stores.close();
    }
}
