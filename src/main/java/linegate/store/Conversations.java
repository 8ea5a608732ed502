package linegate.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Owner of {@code conversations}: for each (line, peer), when the customer last wrote. The time only moves forward,
 * so events applied late, twice, or out of order leave the newest one.
 * <p>
 * The send path's window check is answered from memory where that cannot be wrong: because the time only moves
 * forward, a time this node knows that is inside the window stays inside whatever other nodes record meanwhile. See
 * {@link #lastInboundForWindow}.
 */
public final class Conversations {
    /** How long "never heard from this customer" is believed before the database is asked again. */
    public static final Duration UNKNOWN_PEER_TTL = Duration.ofSeconds(5);
    static final int MAX_ENTRIES = 100_000;

    private record Key(long lineId, String peerId) {
    }

    /** What this node knows: the last inbound time ({@code -1} for none) and when it learned it. */
    private record Known(long lastInbound, long learnedAtMillis) {
        Known newer(Known other) {
            return other.lastInbound > lastInbound ? other : new Known(lastInbound, Math.max(learnedAtMillis, other.learnedAtMillis));
        }
    }

    private final Database db;
    private final Clock clock;
    private final Cache<Key, Known> known = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

    public Conversations(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void recordInbound(long lineId, String peerId, long atMillis) {
        db.call(h -> h.createUpdate("""
                        INSERT INTO conversations (line_id, peer_id, last_inbound_at) VALUES (:line, :peer, :at)
                        ON CONFLICT (line_id, peer_id) DO UPDATE SET last_inbound_at =
                            CASE WHEN excluded.last_inbound_at > conversations.last_inbound_at
                                 THEN excluded.last_inbound_at ELSE conversations.last_inbound_at END""")
                .bind("line", lineId).bind("peer", peerId).bind("at", atMillis)
                .execute());
        known.asMap().merge(new Key(lineId, peerId), new Known(atMillis, clock.millis()), Known::newer);
    }

    /** When the customer last wrote on this line, from the database; empty when Linegate has never heard from them. */
    public Optional<Long> lastInbound(long lineId, String peerId) {
        return db.call(h -> h.createQuery("""
                        SELECT last_inbound_at FROM conversations WHERE line_id = :line AND peer_id = :peer""")
                .bind("line", lineId).bind("peer", peerId)
                .mapTo(Long.class)
                .findOne());
    }

    /**
     * When the customer last wrote, for deciding whether a window that opened at {@code windowStart} (epoch ms) is
     * still open. A known time at or after {@code windowStart} is answered from memory (the database can only hold
     * the same or a later one). "Never heard from" is believed for {@link #UNKNOWN_PEER_TTL}: such a peer is sent to
     * and Meta decides, so believing it a little longer changes nothing Meta would not correct. Anything else, in
     * particular a time before the window (a refusal), is read from the database.
     */
    public Optional<Long> lastInboundForWindow(long lineId, String peerId, long windowStart) {
        Key key = new Key(lineId, peerId);
        Known k = known.getIfPresent(key);
        long now = clock.millis();
        if (k != null) {
            if (k.lastInbound() >= windowStart) {
                return Optional.of(k.lastInbound());
            }
            if (k.lastInbound() < 0 && now - k.learnedAtMillis() < UNKNOWN_PEER_TTL.toMillis()) {
                return Optional.empty();
            }
        }
        Optional<Long> stored = lastInbound(lineId, peerId);
        known.asMap().merge(key, new Known(stored.orElse(-1L), now), Known::newer);
        return stored;
    }
}
