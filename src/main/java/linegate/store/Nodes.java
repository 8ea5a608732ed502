package linegate.store;

/**
 * Owner of the {@code nodes} table: every serving process registers at start, under a new id each time (a restarted
 * process is a new node), beats {@code last_seen} while it runs, and sets {@code stopped_at} on a clean stop. A node
 * whose beat has gone silent for longer than the agreed bound is taken to be gone, and the rows it left
 * {@code accepted} are reconciled by the others ({@link MessageLog#markOrphansAsUnknown}).
 */
public final class Nodes {
    private final Database db;

    public Nodes(Database db) {
        this.db = db;
    }

    /** Registers a new node and returns its id. */
    public long register(long nowMillis) {
        return db.call(h -> h.createQuery("""
                        INSERT INTO nodes (started_at, last_seen) VALUES (:now, :now) RETURNING id""")
                .bind("now", nowMillis)
                .mapTo(Long.class)
                .one());
    }

    /**
     * Records that the node is alive. False when its row says it stopped or is missing: the node was declared gone
     * and must not claim to be alive again.
     */
    public boolean beat(long nodeId, long nowMillis) {
        return db.call(h -> h.createUpdate("""
                        UPDATE nodes SET last_seen = :now WHERE id = :id AND stopped_at IS NULL""")
                .bind("id", nodeId)
                .bind("now", nowMillis)
                .execute()) == 1;
    }

    /** How many nodes beat at or after {@code sinceMillis} and have not stopped: the live nodes, this one included. */
    public int liveCount(long sinceMillis) {
        return db.call(h -> h.createQuery("""
                        SELECT COUNT(*) FROM nodes WHERE stopped_at IS NULL AND last_seen >= :since""")
                .bind("since", sinceMillis)
                .mapTo(Integer.class)
                .one());
    }

    /** A clean stop: the node's rows that are still accepted are then reconciled by the next sweep anywhere. */
    public void stop(long nodeId, long nowMillis) {
        db.call(h -> h.createUpdate("""
                        UPDATE nodes SET stopped_at = :now, last_seen = :now WHERE id = :id""")
                .bind("id", nodeId)
                .bind("now", nowMillis)
                .execute());
    }
}
