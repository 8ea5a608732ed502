package linegate.store.events;

import linegate.store.ChangeRecorder;
import linegate.store.ClosingWindow;
import linegate.store.LineHealthChange;
import linegate.store.NoticeRecorder;
import linegate.store.Database;
import linegate.store.MessageChange;
import linegate.store.Transaction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Owner of {@code events}, the transactional outbox: as the message log's {@link ChangeRecorder} it writes each
 * change's event in the change's own transaction, so an event exists exactly when its change committed.
 * <p>
 * The event's {@code seq} is the account's next: {@code accounts.event_seq} is raised in the same transaction, which
 * keeps the account row locked until the commit. Two transactions of one account therefore commit in seq order on
 * PostgreSQL, and a feed reader that was given seq N never later finds an event below N appear (SQLite has one writer
 * at a time). The cost: an account's event-writing transactions take turns.
 */
public final class Outbox implements ChangeRecorder, NoticeRecorder {
    private final Database db;
    private final Clock clock;
    /** Events written by this process, per type, counted once their transaction committed. */
    private final Map<EventType, LongAdder> created = new EnumMap<>(EventType.class);

    public Outbox(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        for (EventType t : EventType.values()) {
            created.put(t, new LongAdder());
        }
    }

    /**
     * How many events of this type this process has written since it started, counting only committed ones (a
     * transaction rolled back wrote none): the source of {@code linegate_events_written_total}, kept here as a plain
     * number so that store needs no metrics library.
     */
    public long created(EventType type) {
        return created.get(type).sum();
    }

    @Override
    public void record(Transaction tx, MessageChange change) {
        Optional<EventType> type = EventType.of(change.kind());
        if (type.isEmpty()) {
            return;
        }
        Handle h = tx.handle();
        Account account = nextSeq(h, change.accountId());
        long now = clock.millis();
        h.createUpdate("""
                        INSERT INTO events (event_id, account_id, seq, type, line_id, peer_id, cdls_id, state,
                                            occurred_at, delivery, next_attempt_at, created_at)
                        VALUES (:eventId, :account, :seq, :type, :line, :peer, :cdls, :state,
                                :occurredAt, :delivery, :now, :now)""")
                .bind("eventId", EventIds.next(now))
                .bind("account", change.accountId())
                .bind("seq", account.seq())
                .bind("type", type.get().wireName())
                .bind("line", change.lineId())
                .bind("peer", change.peerId())
                .bind("cdls", change.cdlsId())
                .bind("state", EventType.stateOf(change.kind()).orElse(null))
                .bind("occurredAt", change.atMillis())
                .bind("delivery", account.hasCallback() ? "pending" : "none")
                .bind("now", now)
                .execute();
        h.afterCommit(created.get(type.get())::increment);
    }

    /** A line.status event: {@code state} the new health, {@code previous_state} the old one. */
    @Override
    public void lineHealthChanged(Transaction tx, LineHealthChange change) {
        insertNotice(tx.handle(), EventType.LINE_STATUS, change.accountId(), change.lineId(), null,
                change.lineClass().dbValue(), change.atMillis())
                .bind("state", change.health().dbValue())
                .bind("previous", change.previous().dbValue())
                .bind("reason", change.reason().orElse(null))
                .bind("expiresAt", (Long) null)
                .execute();
        tx.handle().afterCommit(created.get(EventType.LINE_STATUS)::increment);
    }

    /** A conversation.window_closing event: the conversation, and when its window closes. */
    @Override
    public void windowClosing(Transaction tx, ClosingWindow window) {
        insertNotice(tx.handle(), EventType.WINDOW_CLOSING, window.accountId(), window.lineId(), window.peerId(),
                window.lineClass().dbValue(), clock.millis())
                .bind("state", (String) null)
                .bind("previous", (String) null)
                .bind("reason", (String) null)
                .bind("expiresAt", window.expiresAt())
                .execute();
        tx.handle().afterCommit(created.get(EventType.WINDOW_CLOSING)::increment);
    }

    /** The insert of an event without a message_log row, its seq taken; the caller binds what its type reports. */
    private Update insertNotice(Handle h, EventType type, long accountId, long lineId, String peerId, String channel,
                                long occurredAt) {
        Account account = nextSeq(h, accountId);
        long now = clock.millis();
        return h.createUpdate("""
                        INSERT INTO events (event_id, account_id, seq, type, line_id, peer_id, channel, state,
                                            previous_state, reason, expires_at, occurred_at, delivery,
                                            next_attempt_at, created_at)
                        VALUES (:eventId, :account, :seq, :type, :line, :peer, :channel, :state, :previous, :reason,
                                :expiresAt, :occurredAt, :delivery, :now, :now)""")
                .bind("eventId", EventIds.next(now))
                .bind("account", accountId)
                .bind("seq", account.seq())
                .bind("type", type.wireName())
                .bind("line", lineId)
                .bind("peer", peerId)
                .bind("channel", channel)
                .bind("occurredAt", occurredAt)
                .bind("delivery", account.hasCallback() ? "pending" : "none")
                .bind("now", now);
    }

    /** Takes the account's next seq; the account row stays locked until the transaction ends (see the class). */
    private static Account nextSeq(Handle h, long accountId) {
        return h.createQuery("""
                        UPDATE accounts SET event_seq = event_seq + 1 WHERE id = :id
                        RETURNING event_seq, callback_url""")
                .bind("id", accountId)
                .map((rs, ctx) -> new Account(rs.getLong("event_seq"), rs.getString("callback_url") != null))
                .findOne()
                .orElseThrow(() -> new IllegalStateException("account " + accountId + " does not exist"));
    }

    /** The event in row {@code id}, if it is still kept. */
    public Optional<EventRow> find(long id) {
        return db.call(h -> h.createQuery("SELECT * FROM events WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findFirst());
    }

    /** The account's events with a seq above {@code afterSeq}, in seq order, at most {@code limit}. */
    public List<EventRow> after(long accountId, long afterSeq, int limit) {
        return db.call(h -> h.createQuery("""
                        SELECT * FROM events WHERE account_id = :account AND seq > :after
                        ORDER BY seq LIMIT :limit""")
                .bind("account", accountId)
                .bind("after", afterSeq)
                .bind("limit", limit)
                .map((rs, ctx) -> row(rs))
                .list());
    }

    /**
     * Each account's last committed seq ({@code accounts.event_seq}): one cheap query that tells a waiting feed reader
     * whether anything new is there. An account that does not exist is left out.
     */
    public Map<Long, Long> lastSeqs(Collection<Long> accountIds) {
        if (accountIds.isEmpty()) {
            return Map.of();
        }
        return db.call(h -> h.createQuery("SELECT id, event_seq FROM accounts WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(accountIds))
                .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getLong("event_seq")))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /**
     * Deletes events written before {@code createdBefore} that nobody still has to deliver ({@code delivered},
     * {@code dead}, {@code none}), at most {@code limit} (a bounded transaction: call again while it returns
     * {@code limit}). A {@code pending} event is never deleted: delivery ends it (delivered or dead) first.
     */
    public int pruneSettled(long createdBefore, int limit) {
        return db.call(h -> h.createUpdate("""
                        DELETE FROM events WHERE id IN (
                            SELECT id FROM events
                            WHERE created_at < :before AND delivery IN ('delivered', 'dead', 'none')
                            ORDER BY created_at LIMIT :limit)""")
                .bind("before", createdBefore)
                .bind("limit", limit)
                .execute());
    }

    private static EventRow row(ResultSet rs) throws SQLException {
        return new EventRow(rs.getLong("id"), rs.getString("event_id"), rs.getLong("account_id"), rs.getLong("seq"),
                EventType.fromDb(rs.getString("type")), nullableLong(rs, "line_id"),
                Optional.ofNullable(rs.getString("peer_id")), nullableLong(rs, "cdls_id"),
                Optional.ofNullable(rs.getString("state")), rs.getLong("occurred_at"), rs.getString("delivery"),
                rs.getLong("created_at"), new EventRow.Notice(Optional.ofNullable(rs.getString("channel")),
                        Optional.ofNullable(rs.getString("previous_state")), Optional.ofNullable(rs.getString("reason")),
                        nullableLong(rs, "expires_at")));
    }

    private static Optional<Long> nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    private record Account(long seq, boolean hasCallback) {
    }
}
