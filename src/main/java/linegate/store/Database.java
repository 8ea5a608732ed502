package linegate.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Types;
import java.time.Duration;
import java.util.Properties;
import java.util.Optional;

/**
 * One HikariCP pool and one Jdbi over it; Flyway migrates the schema on open. SQLite (embedded) runs in WAL mode with
 * {@code synchronous=FULL}, so a committed row survives a power cut, and with immediate transactions and a busy timeout,
 * so the operator's commands can write while the server runs. Every call goes through {@link #call}, which turns
 * "the database is not there" into {@link StoreUnavailableException} (a 503 to clients) and lets real bugs through.
 * Every string it binds is stored through {@link StoredText#encode}, so text holding NUL fits PostgreSQL as well.
 */
public final class Database implements AutoCloseable {
    public enum Kind { SQLITE, POSTGRESQL }

    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final Kind kind;
    private final String password;

    private Database(HikariDataSource pool, Kind kind, String password) {
        this.pool = pool;
        this.kind = kind;
        this.password = password;
        this.jdbi = Jdbi.create(pool);
        jdbi.registerArgument(new AbstractArgumentFactory<String>(Types.VARCHAR) {
            @Override
            protected Argument build(String value, ConfigRegistry config) {
                String stored = StoredText.encode(value);
                return (position, statement, ctx) -> statement.setString(position, stored);
            }
        });
        jdbi.registerColumnMapper(String.class, (rs, column, ctx) -> StoredText.decode(rs.getString(column)));
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @param connectTimeout how long a request waits for a connection before it is answered 503
     */
    public static Database open(String url, String user, String password, Duration connectTimeout) {
        return open(url, user, password, connectTimeout, Optional.empty());
    }

    /**
     * With {@code metrics}, the pool reports itself there (HikariCP's own Micrometer tracker: {@code hikaricp_*},
     * tagged {@code pool=linegate-db}), on SQLite as on PostgreSQL: both are one HikariCP pool.
     */
    public static Database open(String url, String user, String password, Duration connectTimeout,
                                Optional<MeterRegistry> metrics) {
        Kind kind = url.startsWith("jdbc:sqlite:") ? Kind.SQLITE : Kind.POSTGRESQL;
        HikariConfig hc = new HikariConfig();
        if (kind == Kind.POSTGRESQL) {
            hc.setJdbcUrl(url);
        }
        hc.setPoolName("linegate-db");
        metrics.ifPresent(registry -> hc.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry)));
        hc.setConnectionTimeout(connectTimeout.toMillis());
        hc.setValidationTimeout(Math.min(connectTimeout.toMillis(), 2_000));
        // keep trying the first connection for a while: a second process opening a new SQLite file at the same moment
        // finds it locked while the first switches it to WAL, and a database that is still starting comes up
        hc.setInitializationFailTimeout(connectTimeout.toMillis());
        Optional<SqliteFiles> files = kind == Kind.SQLITE ? sqliteFile(url).map(SqliteFiles::new) : Optional.empty();
        files.ifPresent(SqliteFiles::prepare);
        if (kind == Kind.SQLITE) {
            hc.setMaximumPoolSize(8);
            Properties pragmas = new Properties();
            pragmas.setProperty("journal_mode", "WAL");
            pragmas.setProperty("synchronous", "FULL");
            pragmas.setProperty("busy_timeout", "5000");
            pragmas.setProperty("foreign_keys", "true");
            pragmas.setProperty("transaction_mode", "IMMEDIATE");
            hc.setDataSource(new SqliteConnections(url, pragmas));
        } else {
            hc.setMaximumPoolSize(16);
            if (!user.isEmpty()) {
                hc.setUsername(user);
            }
            if (!password.isEmpty()) {
                hc.setPassword(password);
            }
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            // no cause: the driver's and the pool's messages below it may hold the URL's password (see redact)
            throw new StoreUnavailableException("cannot connect to the database (" + redact(rootMessage(e), password)
                    + "): " + (kind == Kind.SQLITE
                    ? "check LINEGATE_DB_URL, and that this user can write the database file and its folder"
                    : "check LINEGATE_DB_URL, LINEGATE_DB_USER and LINEGATE_DB_PASSWORD"), null);
        }
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration/" + (kind == Kind.SQLITE ? "sqlite" : "postgresql"))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreUnavailableException("cannot migrate the database schema (" + redact(rootMessage(e), password)
                    + ")", null);
        }
        files.ifPresent(SqliteFiles::narrow);
        return new Database(ds, kind, password);
    }

    public Kind kind() {
        return kind;
    }

    /** Runs {@code callback} on a pooled handle; unavailability becomes {@link StoreUnavailableException}. */
    public <R> R call(HandleCallback<R, RuntimeException> callback) {
        try {
            return jdbi.withHandle(callback);
        } catch (JdbiException e) {
            if (isUnavailable(e)) {
                throw new StoreUnavailableException("database unavailable: " + redact(rootMessage(e), password), e);
            }
            throw e;
        }
    }

    /** Runs {@code callback} in one transaction. */
    public <R> R transaction(HandleCallback<R, RuntimeException> callback) {
        return call(h -> h.inTransaction(callback));
    }

    /**
     * A failed plain-JDBC statement (see {@link Transaction#prepared}) as Jdbi reports one, so that {@link #call} and
     * the group-commit writer tell unavailability from a bug the same way for both.
     */
    public static RuntimeException failed(SQLException e) {
        return new UnableToExecuteStatementException(e, null);
    }

    /** True when the database answers a trivial query within the pool's validation timeout. */
    public boolean ping() {
        try {
            return call(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * Connection-level failures: no connection within the timeout, SQLState class 08 (connection exception), 57P
     * (PostgreSQL shutting down), 53 (insufficient resources), 55P03 and 57014 (a lock or statement timeout: a table
     * held by another session, a server too slow to answer in time), 40P01 (PostgreSQL chose this transaction as a
     * deadlock's victim: the outbox locks account rows, and two nodes' group-commit batches may take two accounts in
     * opposite orders; nothing of it committed, so it is retried as any unavailability is), and SQLite's
     * BUSY/LOCKED/IOERR/CANTOPEN after the busy timeout. A constraint violation or a syntax error is a bug, not
     * unavailability.
     */
    static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
                        || state.equals("55P03") || state.equals("57014") || state.equals("40P01"))) {
                    return true;
                }
                String msg = String.valueOf(sql.getMessage());
                if (msg.contains("SQLITE_BUSY") || msg.contains("SQLITE_LOCKED") || msg.contains("SQLITE_IOERR")
                        || msg.contains("SQLITE_CANTOPEN") || msg.contains("has been closed")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The database file of a {@code jdbc:sqlite:} URL; none for an in-memory database. */
    private static Optional<Path> sqliteFile(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        String file = (q >= 0 ? rest.substring(0, q) : rest).replaceFirst("^file:", "");
        if (file.isEmpty() || file.contains(":memory:") || (q >= 0 && rest.substring(q).contains("mode=memory"))) {
            return Optional.empty();
        }
        return Optional.of(Path.of(file));
    }

    /**
     * {@code text} without the database password: PostgreSQL's driver names a URL's {@code user:password@host} as an
     * unknown host, and a driver or Flyway may quote the URL with its {@code password=} parameter. The configuration
     * refuses a URL with a user before the host; this covers whatever else quotes it.
     */
    static String redact(String text, String password) {
        String out = text.replaceAll("(?i)(password=)[^&;\\s)'\"]*", "$1[REDACTED]")
                .replaceAll("[^\\s/@()'\":]+:[^\\s/@()'\"]*@", "[REDACTED]@");
        // a password this short would blank ordinary words of the message; it cannot be told from them
        return password.length() >= 4 ? out.replace(password, "[REDACTED]") : out;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
