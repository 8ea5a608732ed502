package linegate.store.events;

import linegate.store.ChangeRecorder;
import linegate.store.ClosingWindow;
import linegate.store.LineHealthChange;
import linegate.store.NoticeRecorder;
import linegate.store.ReceivedComment;
import linegate.store.Database;
import linegate.store.MessageChange;
import linegate.store.StoredText;
import linegate.store.Transaction;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Owner of {@code events}, the transactional outbox: as the message log's {@link ChangeRecorder} it writes each
 * change's event in the change's own transaction, so an event exists exactly when its change committed.
 * <p>
 * The event's {@code seq} is the account's next: {@code accounts.event_seq} is raised in the same transaction, which
 * keeps the account row locked until the commit. Two transactions of one account therefore commit in seq order on
 * PostgreSQL, and a feed reader that was given seq N never later finds an event below N appear (SQLite has one writer
 * at a time). The cost: an account's event-writing transactions take turns. A transaction with many changes (a
 * group-commit batch) raises each account's seq once for all its events ({@link #recordAll}).
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

    private static final String RAISE_SEQ = """
            UPDATE accounts SET event_seq = event_seq + ? WHERE id = ?
            RETURNING event_seq, callback_url""";

    private static final String INSERT = """
            INSERT INTO events (event_id, account_id, seq, type, line_id, peer_id, cdls_id, state,
                                occurred_at, delivery, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    @Override
    public void record(Transaction tx, MessageChange change) {
        recordAll(tx, List.of(change));
    }

    /**
     * Raises each account's seq once, by the number of its events among {@code changes}, and numbers its events in the
     * changes' order, as one raise per event would. The accounts are raised in ascending id order, so two nodes'
     * batches that share accounts lock them in the same order and wait for each other instead of deadlocking. The
     * events go in as one JDBC batch of one prepared statement.
     */
    @Override
    public void recordAll(Transaction tx, List<MessageChange> changes) {
        List<MessageChange> events = new ArrayList<>(changes.size());
        Map<Long, Integer> perAccount = new TreeMap<>();
        for (MessageChange change : changes) {
            if (EventType.of(change.kind()).isPresent()) {
                events.add(change);
                perAccount.merge(change.accountId(), 1, Integer::sum);
            }
        }
        if (events.isEmpty()) {
            return;
        }
        Map<EventType, Integer> written = new EnumMap<>(EventType.class);
        try {
            Map<Long, Account> accounts = raiseSeqs(tx, perAccount, events);
            long now = clock.millis();
            PreparedStatement insert = tx.prepared(INSERT);
            for (MessageChange change : events) {
                EventType type = EventType.of(change.kind()).orElseThrow();
                Account account = accounts.get(change.accountId());
                insert.setString(1, EventIds.next(now));
                insert.setLong(2, change.accountId());
                insert.setLong(3, account.nextSeq++);
                insert.setString(4, type.wireName());
                insert.setLong(5, change.lineId());
                insert.setString(6, StoredText.encode(change.peerId()));
                insert.setLong(7, change.cdlsId());
                insert.setString(8, EventType.stateOf(change.kind()).orElse(null));
                insert.setLong(9, change.atMillis());
                insert.setString(10, account.hasCallback ? "pending" : "none");
                insert.setLong(11, now);
                insert.setLong(12, now);
                insert.addBatch();
                written.merge(type, 1, Integer::sum);
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Database.failed(e);
        }
        tx.handle().afterCommit(() -> written.forEach((type, n) -> created.get(type).add(n)));
    }

    /** Each account's first seq for this transaction's events, its row locked until the commit. */
    private static Map<Long, Account> raiseSeqs(Transaction tx, Map<Long, Integer> perAccount, List<MessageChange> events)
            throws SQLException {
        Map<Long, Account> accounts = new HashMap<>();
        PreparedStatement raise = tx.prepared(RAISE_SEQ);
        for (Map.Entry<Long, Integer> e : perAccount.entrySet()) {
            raise.setInt(1, e.getValue());
            raise.setLong(2, e.getKey());
            try (ResultSet rs = raise.executeQuery()) {
                if (!rs.next()) {
                    String of = events.stream().filter(c -> c.accountId() == e.getKey()).findFirst()
                            .map(c -> " of row " + c.cdlsId()).orElse("");
                    throw new IllegalStateException("account " + e.getKey() + of + " does not exist");
                }
                accounts.put(e.getKey(), new Account(rs.getLong(1) - e.getValue() + 1, rs.getString(2) != null));
            }
        }
        return accounts;
    }

    private static final String INSERT_NOTICE = """
            INSERT INTO events (event_id, account_id, seq, type, line_id, peer_id, channel, state, previous_state,
                                reason, expires_at, occurred_at, delivery, next_attempt_at, created_at, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** A line.status event: {@code state} the new health, {@code previous_state} the old one. */
    @Override
    public void lineHealthChanged(Transaction tx, LineHealthChange change) {
        insertNotice(tx, EventType.LINE_STATUS, change.accountId(), change.lineId(), null, change.lineClass().dbValue(),
                change.health().dbValue(), change.previous().dbValue(), change.reason().orElse(null), null,
                change.atMillis(), null);
    }

    /** A conversation.window_closing event: the conversation, and when its window closes. */
    @Override
    public void windowClosing(Transaction tx, ClosingWindow window) {
        insertNotice(tx, EventType.WINDOW_CLOSING, window.accountId(), window.lineId(), window.peerId(),
                window.lineClass().dbValue(), null, null, null, window.expiresAt(), clock.millis(), null);
    }

    /**
     * A comment.received event: the conversation is the line and the comment's author, and {@code detail} Meta's
     * change object, which the event's {@code comment} is read from when it is rendered.
     */
    @Override
    public void commentReceived(Transaction tx, ReceivedComment comment) {
        insertNotice(tx, EventType.COMMENT_RECEIVED, comment.accountId(), comment.lineId(), comment.authorId(),
                comment.lineClass().dbValue(), null, null, null, null, comment.commentedAt(), comment.detail());
    }

    /** One event without a message_log row, numbered by the account's next seq (its row locked until the commit). */
    private void insertNotice(Transaction tx, EventType type, long accountId, long lineId, String peerId,
                              String channel, String state, String previousState, String reason, Long expiresAt,
                              long occurredAt, String detail) {
        try {
            Account account = raiseSeqs(tx, Map.of(accountId, 1), List.of()).get(accountId);
            long now = clock.millis();
            PreparedStatement insert = tx.prepared(INSERT_NOTICE);
            insert.setString(1, EventIds.next(now));
            insert.setLong(2, accountId);
            insert.setLong(3, account.nextSeq);
            insert.setString(4, type.wireName());
            insert.setLong(5, lineId);
            insert.setString(6, peerId == null ? null : StoredText.encode(peerId));
            insert.setString(7, channel);
            insert.setString(8, state);
            insert.setString(9, previousState);
            insert.setString(10, reason);
            if (expiresAt == null) {
                insert.setNull(11, java.sql.Types.BIGINT);
            } else {
                insert.setLong(11, expiresAt);
            }
            insert.setLong(12, occurredAt);
            insert.setString(13, account.hasCallback ? "pending" : "none");
            insert.setLong(14, now);
            insert.setLong(15, now);
            insert.setString(16, detail == null ? null : StoredText.encode(detail));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw Database.failed(e);
        }
        tx.handle().afterCommit(created.get(type)::increment);
    }

    /** The events in these rows, by row id; a row no longer kept is left out. */
    public Map<Long, EventRow> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return db.call(h -> h.createQuery("SELECT * FROM events WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> row(rs))
                .collect(Collectors.toMap(EventRow::id, row -> row)));
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
                        nullableLong(rs, "expires_at"),
                        Optional.ofNullable(StoredText.decode(rs.getString("detail")))));
    }

    private static Optional<Long> nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    /** An account's next seq to hand out in this transaction, and whether it had a callback URL. */
    private static final class Account {
        long nextSeq;
        final boolean hasCallback;

        Account(long nextSeq, boolean hasCallback) {
            this.nextSeq = nextSeq;
            this.hasCallback = hasCallback;
        }
    }
}
