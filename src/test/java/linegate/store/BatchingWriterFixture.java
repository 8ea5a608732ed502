package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What every batching-writer test starts from: fresh stores on the parameter's database, a writer (batch 64, no
 * linger) whose commits the test can hold or break through {@link CommitGate}, a {@link Witness} reading through its
 * own pool, and one account with one line.
 */
abstract class BatchingWriterFixture {
    static final long T0 = StoreFixture.T0.toEpochMilli();

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    StoreFixture fx;
    Stores stores;
    Witness witness;
    CommitGate gate = new CommitGate();
    BatchingMessageLogWriter writer;
    long account;
    long line;

    @BeforeEach
    void open() {
        fx = new StoreFixture(db, tmp);
        stores = fx.open();
        witness = new Witness(fx);
        writer = new BatchingMessageLogWriter(stores.log(), 64, Duration.ZERO, gate);
        account = stores.accounts().create("Acme Dental");
        line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(), Optional.empty(),
                Optional.empty(), true, false));
    }

    @AfterEach
    void close() {
        gate.release();
        writer.close();
        witness.close();
        stores.close();
    }

    NewLogEntry entry(long lineId, String msgId) {
        return new NewLogEntry(account, lineId, LineClass.INSTAGRAM, "1254477777772919", "text", "Your order has shipped",
                Optional.ofNullable(msgId), Optional.empty(), Optional.empty(), T0);
    }

    NewLogEntry entry(String msgId) {
        return entry(line, msgId);
    }
}
