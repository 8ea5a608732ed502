package linegate.store;

import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded database's connections for the pool, each with a busy handler that retries a locked database every
 * 0.25 ms. SQLite lets one writer in at a time, and its own handler (PRAGMA busy_timeout) sleeps between tries for
 * longer and longer, up to 100 ms a sleep: a writer that finds the lock taken (the group-commit writer while the
 * webhook applier commits) then waits up to 100 ms after it came free. Measured with a webhook burst, that, not the
 * commits, held intake back. The wait is still bounded by the busy timeout; past it the statement fails with
 * SQLITE_BUSY, as before.
 */
final class SqliteConnections extends SQLiteDataSource {
    private static final long RETRY_NANOS = TimeUnit.MICROSECONDS.toNanos(250);
    private final long busyTimeoutNanos;

    /** {@code pragmas}: the driver's properties (journal_mode, busy_timeout, ...), applied to every connection. */
    SqliteConnections(String url, Properties pragmas) {
        super(new SQLiteConfig(pragmas));
        setUrl(url);
        this.busyTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(pragmas.getProperty("busy_timeout")));
    }

    @Override
    public SQLiteConnection getConnection(String username, String password) throws SQLException {
        SQLiteConnection connection = super.getConnection(username, password);
        BusyHandler.setHandler(connection, new PromptRetry(busyTimeoutNanos));
        return connection;
    }

    /** One per connection; a connection serves one thread at a time, so the start of its wait needs no guard. */
    private static final class PromptRetry extends BusyHandler {
        private final long timeoutNanos;
        private long waitingSince;

        PromptRetry(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        @Override
        protected int callback(int triesBefore) {
            long now = System.nanoTime();
            if (triesBefore == 0) {
                waitingSince = now;
            } else if (now - waitingSince > timeoutNanos) {
                return 0;
            }
            LockSupport.parkNanos(RETRY_NANOS);
            return 1;
        }
    }
}
