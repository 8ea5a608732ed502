package linegate.store;

import java.util.Optional;

/**
 * Owner of {@code conversations}: for each (line, peer), when the customer last wrote. The time only moves forward,
 * so events applied late, twice, or out of order leave the newest one.
 */
public final class Conversations {
    private final Database db;

    public Conversations(Database db) {
        this.db = db;
    }

    public void recordInbound(long lineId, String peerId, long atMillis) {
        db.call(h -> h.createUpdate("""
                        INSERT INTO conversations (line_id, peer_id, last_inbound_at) VALUES (:line, :peer, :at)
                        ON CONFLICT (line_id, peer_id) DO UPDATE SET last_inbound_at =
                            CASE WHEN excluded.last_inbound_at > conversations.last_inbound_at
                                 THEN excluded.last_inbound_at ELSE conversations.last_inbound_at END""")
                .bind("line", lineId).bind("peer", peerId).bind("at", atMillis)
                .execute());
    }

    /** When the customer last wrote on this line; empty when Linegate has never heard from them. */
    public Optional<Long> lastInbound(long lineId, String peerId) {
        return db.call(h -> h.createQuery("""
                        SELECT last_inbound_at FROM conversations WHERE line_id = :line AND peer_id = :peer""")
                .bind("line", lineId).bind("peer", peerId)
                .mapTo(Long.class)
                .findOne());
    }
}
