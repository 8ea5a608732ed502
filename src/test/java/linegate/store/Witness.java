package linegate.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Reads the message log through its own small pool, never the writer's: what another connection (or process) sees,
 * that is only committed rows.
 */
final class Witness implements AutoCloseable {
    /** A row as the witness sees it. */
    record Seen(long id, String state, Optional<String> msgId, Optional<String> metaMessageId) {
    }

    private final HikariDataSource pool;

    Witness(StoreFixture fx) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(fx.url());
        if (!fx.user().isEmpty()) {
            hc.setUsername(fx.user());
        }
        hc.setPoolName("witness");
        hc.setMaximumPoolSize(4);
        this.pool = new HikariDataSource(hc);
    }

    Optional<Seen> row(long id) {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, state, msg_id, meta_message_id FROM message_log WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Seen(rs.getLong(1), rs.getString(2), Optional.ofNullable(rs.getString(3)),
                        Optional.ofNullable(rs.getString(4))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("witness cannot read row " + id, e);
        }
    }

    long count(String where, Object... args) {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM message_log WHERE " + where)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("witness cannot count " + where, e);
        }
    }

    /** Terminates another connection's PostgreSQL server process, as a DBA or a crashed backend would, and waits for it. */
    void terminatePostgresBackend(int pid) {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?, 10000)")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new IllegalStateException("backend " + pid + " was not terminated");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot terminate backend " + pid, e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
