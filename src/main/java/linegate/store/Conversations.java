package linegate.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
    /** Meta's standard messaging window: a business may answer for 24 hours after the customer last wrote. */
    public static final Duration STANDARD_WINDOW = Duration.ofHours(24);
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
    private final NoticeRecorder notices;
    private final Cache<Key, Known> known = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

    /** {@code notices} is told of each closing window {@link #warn} claims, in the claim's transaction. */
    public Conversations(Database db, Clock clock, NoticeRecorder notices) {
        this.db = db;
        this.clock = clock;
        this.notices = notices;
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

    /**
     * Windows not yet warned about that opened in {@code (openedAfter, openedUpTo]} on active lines, oldest first, at
     * most {@code limit}: with {@code openedAfter} = now − window and {@code openedUpTo} = now − window + warning,
     * the windows still open that close within the warning. A window is the one its {@code last_inbound_at} opened.
     */
    public List<ClosingWindow> closingWindows(long openedAfter, long openedUpTo, Duration window, int limit) {
        return db.call(h -> h.createQuery("""
                        SELECT c.line_id, c.peer_id, c.last_inbound_at, l.account_id, l.class
                        FROM conversations c JOIN lines l ON l.id = c.line_id
                        WHERE c.last_inbound_at > :after AND c.last_inbound_at <= :upTo AND l.active
                          AND (c.window_warned_for IS NULL OR c.window_warned_for < c.last_inbound_at)
                        ORDER BY c.last_inbound_at LIMIT :limit""")
                .bind("after", openedAfter).bind("upTo", openedUpTo).bind("limit", limit)
                .map((rs, ctx) -> new ClosingWindow(rs.getLong("account_id"), rs.getLong("line_id"),
                        LineClass.fromDb(rs.getString("class")), rs.getString("peer_id"),
                        rs.getLong("last_inbound_at"), rs.getLong("last_inbound_at") + window.toMillis()))
                .list());
    }

    /**
     * Claims the warning for this window and tells the recorder in the same transaction: true when this call claimed
     * it, false when it was claimed already (another node, an earlier run) or the customer has written since (a new
     * window, found by a later scan). The claim is a compare-and-set on the row, so each window is warned once.
     */
    public boolean warn(ClosingWindow window) {
        return db.transaction(h -> {
            int claimed = h.createUpdate("""
                            UPDATE conversations SET window_warned_for = last_inbound_at
                            WHERE line_id = :line AND peer_id = :peer AND last_inbound_at = :at
                              AND (window_warned_for IS NULL OR window_warned_for < last_inbound_at)""")
                    .bind("line", window.lineId()).bind("peer", window.peerId()).bind("at", window.lastInboundAt())
                    .execute();
            if (claimed == 0) {
                return false;
            }
            notices.windowClosing(new Transaction(h), window);
            return true;
        });
    }
}
