package linegate.store;

import linegate.testing.MovableClock;
import linegate.testing.TestDb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh database of one kind, opened through {@link Stores} as serve does, plus plain JDBC to read raw columns the
 * stores never show (hashes, sealed tokens, Flyway's history).
 */
final class StoreFixture {
    static final byte[] MASTER_KEY = Base64.getDecoder().decode(TestDb.MASTER_KEY);
    static final Instant T0 = Instant.parse("2026-11-25T10:15:30.123Z");

    final Map<String, String> env;
    final MovableClock clock = new MovableClock(T0);

    StoreFixture(TestDb db, Path tmp) {
        this.env = db.freshEnv(tmp);
    }

    String url() {
        return env.get("LINEGATE_DB_URL");
    }

    String user() {
        return env.getOrDefault("LINEGATE_DB_USER", "");
    }

    Stores open() {
        return open(MASTER_KEY);
    }

    Stores open(byte[] masterKey) {
        return Stores.open(url(), user(), "", masterKey, clock);
    }

    /** Rows of a raw query, column names lower-cased. */
    List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(url(), user(), "");
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** A change made by hand, behind every store's back (as an operator with a SQL prompt would). */
    int execute(String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(url(), user(), "");
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    Map<String, Object> one(String sql, Object... args) {
        List<Map<String, Object>> rows = query(sql, args);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row from " + sql + ", got " + rows);
        }
        return rows.getFirst();
    }

    static long asLong(Object o) {
        return ((Number) o).longValue();
    }

}
