package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded database's writers wait for each other (SqliteConnections' busy handler): a write that finds another
 * connection writing waits and goes in once the lock is free, and one that waits past the busy timeout (5 s) is
 * answered as unavailability (503), as SQLite's own handler did.
 */
class SqliteLockWaitTest {
    @TempDir
    Path tmp;

    StoreFixture fx;
    Stores stores;
    Connection other;

    @BeforeEach
    void open() throws SQLException {
        fx = new StoreFixture(TestDb.SQLITE, tmp);
        stores = fx.open();
        other = DriverManager.getConnection(fx.url());
    }

    @AfterEach
    void close() throws SQLException {
        other.close();
        stores.close();
    }

    /** Another connection takes the write lock (an operator's command writing while the server runs). */
    private void otherWrites() throws SQLException {
        try (Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            s.execute("INSERT INTO accounts (name, created_at) VALUES ('Held by the operator', 0)");
        }
    }

    @Test
    void aWriteWaitsWhileAnotherConnectionWritesAndGoesInOnceItCommits() throws Exception {
        otherWrites();
        Callers.Caller<Long> write = Callers.start(() -> stores.accounts().create("Acme Dental"));
        Thread.sleep(Duration.ofMillis(300));
        assertThat(write.outcome()).as("waiting for the lock").isNotDone();

        try (Statement s = other.createStatement()) {
            s.execute("COMMIT");
        }

        long id = write.await();
        assertThat(fx.query("SELECT name FROM accounts ORDER BY id")).extracting(r -> r.get("name"))
                .containsExactly("Held by the operator", "Acme Dental");
        assertThat(id).isPositive();
    }

    @Test
    void aWriteThatWaitsPastTheBusyTimeoutIsUnavailability() throws Exception {
        otherWrites();
        long start = System.nanoTime();

        Throwable failure = Callers.start(() -> stores.accounts().create("Acme Dental")).failure();

        assertThat(failure).isInstanceOf(StoreUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("it waited the busy timeout first")
                .isGreaterThanOrEqualTo(Duration.ofMillis(4_900));
        try (Statement s = other.createStatement()) {
            s.execute("ROLLBACK");
        }
        assertThat(stores.accounts().create("Acme Dental")).as("the next write goes in").isPositive();
    }
}
