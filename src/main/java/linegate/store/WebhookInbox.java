package linegate.store;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Owner of {@code webhook_inbox}: Meta's signed deliveries, stored before Meta gets its 200 and kept after they are
 * applied (an event Linegate does not understand is still here to look at). As an {@link InboxWriter} it stores each
 * delivery in a transaction of its own; with group commit, {@link BatchingMessageLogWriter#deliveries()} runs its
 * insert in the writer's batches instead.
 */
public final class WebhookInbox implements InboxWriter {
    /** A delivery waiting to be applied. */
    public record Pending(long id, byte[] body, int attempts) {
    }

    private final Database db;

    public WebhookInbox(Database db) {
        this.db = db;
    }

    private static final String INSERT = """
            INSERT INTO webhook_inbox (received_at, body) VALUES (?, ?) RETURNING id""";

    /** Stores a delivery durably, in a transaction of its own (committed on return), and returns its id. */
    @Override
    public long append(byte[] body, long nowMillis) {
        return db.transaction(h -> {
            Transaction tx = new Transaction(h);
            try {
                return insert(tx, body, nowMillis);
            } finally {
                tx.closeStatements();
            }
        });
    }

    /** Inserts a delivery in {@code tx} (with group commit, a batch's prepared statement); its id. */
    static long insert(Transaction tx, byte[] body, long nowMillis) {
        try {
            PreparedStatement p = tx.prepared(INSERT);
            p.setLong(1, nowMillis);
            p.setString(2, StoredText.encode(new String(body, StandardCharsets.UTF_8)));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw Database.failed(e);
        }
    }

    /** {@link #insert} of each delivery as one JDBC batch (PostgreSQL: one round trip); their ids in order. */
    static List<Long> insertAll(Transaction tx, List<byte[]> bodies, List<Long> receivedAtMillis) {
        try {
            PreparedStatement p = tx.preparedReturning(INSERT);
            for (int i = 0; i < bodies.size(); i++) {
                p.setLong(1, receivedAtMillis.get(i));
                p.setString(2, StoredText.encode(new String(bodies.get(i), StandardCharsets.UTF_8)));
                p.addBatch();
            }
            p.executeBatch();
            List<Long> ids = new ArrayList<>(bodies.size());
            try (ResultSet rs = p.getGeneratedKeys()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            if (ids.size() != bodies.size()) {
                throw new IllegalStateException("the inbox batch returned " + ids.size() + " ids for "
                        + bodies.size() + " deliveries");
            }
            return ids;
        } catch (SQLException e) {
            throw Database.failed(e);
        }
    }

    /**
     * Deliveries not yet applied that arrived before {@code receivedBefore} and were tried fewer than
     * {@code maxAttempts} times, oldest first.
     */
    public List<Pending> pending(long receivedBefore, int maxAttempts, int limit) {
        return db.call(h -> h.createQuery("""
                        SELECT id, body, attempts FROM webhook_inbox
                        WHERE processed_at IS NULL AND received_at < :before AND attempts < :max
                        ORDER BY id LIMIT :limit""")
                .bind("before", receivedBefore)
                .bind("max", maxAttempts)
                .bind("limit", limit)
                .map((rs, ctx) -> new Pending(rs.getLong("id"),
                        StoredText.read(rs, "body").getBytes(StandardCharsets.UTF_8), rs.getInt("attempts")))
                .list());
    }

    public void markProcessed(long id, long nowMillis) {
        db.call(h -> h.createUpdate("""
                        UPDATE webhook_inbox SET processed_at = :now, attempts = attempts + 1, last_error = NULL
                        WHERE id = :id""")
                .bind("id", id).bind("now", nowMillis).execute());
    }

    /** Records a failed attempt; {@code attemptsUsed} above 1 uses up more of the retry budget (a permanent failure). */
    public void markFailed(long id, String error, int attemptsUsed) {
        db.call(h -> h.createUpdate("""
                        UPDATE webhook_inbox SET attempts = attempts + :used, last_error = :error WHERE id = :id""")
                .bind("id", id).bind("error", error).bind("used", attemptsUsed).execute());
    }

    /**
     * Counts a failed attempt without its error text: the fallback when {@link #markFailed} itself failed, so a
     * delivery that cannot be applied still uses up its retries instead of being retried forever.
     */
    public void countAttempt(long id, int attemptsUsed) {
        db.call(h -> h.createUpdate("UPDATE webhook_inbox SET attempts = attempts + :used WHERE id = :id")
                .bind("id", id).bind("used", attemptsUsed).execute());
    }

    /** How many deliveries are not yet applied (for /metrics). */
    public long backlog() {
        return db.call(h -> h.createQuery("SELECT COUNT(*) FROM webhook_inbox WHERE processed_at IS NULL")
                .mapTo(Long.class).one());
    }

    /**
     * Deletes deliveries applied before {@code processedBefore}, at most {@code limit} of them (a bounded transaction:
     * call again while it returns {@code limit}); one never applied is kept to be looked at. The number deleted.
     */
    public int pruneProcessed(long processedBefore, int limit) {
        return db.call(h -> h.createUpdate("""
                        DELETE FROM webhook_inbox WHERE id IN (
                            SELECT id FROM webhook_inbox
                            WHERE processed_at IS NOT NULL AND processed_at < :before
                            ORDER BY id LIMIT :limit)""")
                .bind("before", processedBefore).bind("limit", limit).execute());
    }
}
