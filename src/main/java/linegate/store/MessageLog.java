package linegate.store;

import org.jdbi.v3.core.statement.Query;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Owner of the {@code message_log} table: every write to it goes through here, the send side's ({@link OutboundSql})
 * and the webhook side's ({@link WebhookSql}), also those of {@link BatchingMessageLogWriter}, which runs
 * {@link #insert(Transaction, NewLogEntry)} and {@link #update(Transaction, long, LogOutcome)} in its batch
 * transaction and records the whole batch's changes together. Every write returns the changes it made (none when it changed nothing, as for a redelivered webhook)
 * and hands each one to the {@link ChangeRecorder} inside its transaction, before the commit.
 * <p>
 * As a {@link MessageLogWriter} it writes each call in a transaction of its own: the plain design, one durable
 * transaction per write.
 */
public final class MessageLog implements MessageLogWriter {
    private final Database db;
    private final ChangeRecorder recorder;

    public MessageLog(Database db) {
        this(db, ChangeRecorder.NONE);
    }

    public MessageLog(Database db, ChangeRecorder recorder) {
        this.db = db;
        this.recorder = recorder;
    }

    /** The database this log is in. */
    Database.Kind kind() {
        return db.kind();
    }

    @Override
    public MessageChange append(NewLogEntry e) {
        return inTransaction(tx -> {
            Optional<MessageChange> change = insert(tx, e);
            change.ifPresent(c -> record(tx, List.of(c)));
            return change;
        }).orElseThrow(() -> new MsgIdInUseException(e.accountId(), e.msgId().orElseThrow()));
    }

    @Override
    public List<MessageChange> finish(long id, LogOutcome outcome) {
        return inTransaction(tx -> record(tx, update(tx, id, outcome)));
    }

    /**
     * The new row's change, or nothing when its msg_id is held by a live attempt (see {@link OutboundSql#insert}); the
     * change is not yet recorded: the caller hands it to {@link #record}, with the rest of its transaction's.
     */
    Optional<MessageChange> insert(Transaction tx, NewLogEntry e) {
        return OutboundSql.insert(tx, e);
    }

    /** The row's change to its final state, if it made one; not yet recorded (see {@link #insert}). */
    List<MessageChange> update(Transaction tx, long id, LogOutcome outcome) {
        return OutboundSql.finish(tx, id, outcome);
    }

    /** Hands changes made in {@code tx} to the recorder, in one go ({@link ChangeRecorder#recordAll}). */
    List<MessageChange> record(Transaction tx, List<MessageChange> changes) {
        if (!changes.isEmpty()) {
            recorder.recordAll(tx, changes);
        }
        return changes;
    }

    /**
     * Rows still {@code accepted} since before {@code cutoffMillis} (written then, or claimed then by a queue worker:
     * {@code updated_at}) belong to a send that stopped between
     * writing the row and recording Meta's answer. Whether Meta delivered them is unknown, so they become {@code unknown}
     * (never retried, never dropped). Only rows this node claimed, or that no node claimed (written before V5), are
     * swept here, and none of {@code held}: those this node still holds Meta's answer for, waiting to record it. Rows of
     * another node are that node's to sweep while it runs, and {@link #markOrphansAsUnknown}'s once it is gone.
     */
    public List<MessageChange> markAbandonedAsUnknown(long cutoffMillis, long nowMillis, long nodeId, Collection<Long> held) {
        return inTransaction(tx -> record(tx, OutboundSql.abandoned(tx.handle(), cutoffMillis, nowMillis, nodeId, held)));
    }

    /**
     * Rows left {@code accepted} by a node that is gone (stopped, or silent since before {@code silentSinceMillis}: see
     * {@link Nodes}) become {@code unknown} at once: no running send can still record Meta's answer for them.
     */
    public List<MessageChange> markOrphansAsUnknown(long silentSinceMillis, long nowMillis) {
        return inTransaction(tx -> record(tx, OutboundSql.orphans(tx.handle(), silentSinceMillis, nowMillis)));
    }

    /**
     * On the embedded database, which serves one node: at start-up every row still {@code accepted} was left by an
     * earlier process, so it becomes {@code unknown} at once instead of after the age-based sweep.
     */
    public List<MessageChange> markLeftByEarlierProcessesAsUnknown(long nodeId, long nowMillis) {
        return inTransaction(tx -> record(tx, OutboundSql.leftByEarlierProcesses(tx.handle(), nodeId, nowMillis)));
    }

    /**
     * A message from a webhook: a customer's (received), or an echo of one the business sent. An echo of Linegate's own
     * send changes nothing when the send is known by its message id; a text send still {@code unknown} or
     * {@code accepted} (Meta did not answer) whose text, peer and time match becomes {@code sent}, which the echo
     * proves; any other echo was typed in Meta's apps and is logged. A repeated event changes nothing.
     */
    public List<MessageChange> logInbound(InboundEntry e, long nowMillis) {
        return inTransaction(tx -> {
            if (e.echo()) {
                String mid = e.metaMessageId().orElseThrow(() -> new IllegalArgumentException("an echo has a message id"));
                if (WebhookSql.knownOutbound(tx.handle(), e.lineId(), mid)) {
                    return List.of();
                }
                if (e.mtype().equals("text")) {
                    List<MessageChange> confirmed = WebhookSql.confirmUnanswered(tx.handle(), e, mid, nowMillis);
                    if (!confirmed.isEmpty()) {
                        return record(tx, confirmed);
                    }
                }
            }
            return record(tx, WebhookSql.insert(tx.handle(), e, nowMillis));
        });
    }

    /** Meta's delivery receipt: {@code sent} rows it covers become {@code delivered}. */
    public List<MessageChange> markDelivered(Receipt receipt, long nowMillis) {
        return inTransaction(tx -> record(tx, WebhookSql.delivered(tx.handle(), receipt, nowMillis)));
    }

    /** Meta's read receipt: {@code sent} and {@code delivered} rows it covers become {@code read}. */
    public List<MessageChange> markRead(Receipt receipt, long nowMillis) {
        return inTransaction(tx -> record(tx, WebhookSql.read(tx.handle(), receipt, nowMillis)));
    }

    /** A customer's edit: the new text replaces the old one if it is a later edit than the one logged. */
    public List<MessageChange> applyEdit(InboundEdit edit, long nowMillis) {
        return inTransaction(tx -> record(tx, WebhookSql.edit(tx.handle(), edit, nowMillis)));
    }

    /** A customer deleted the message {@code mid}: the row stays (nothing vanishes) and records when. */
    public List<MessageChange> markDeleted(long lineId, String mid, long atMillis, long nowMillis) {
        return inTransaction(tx -> record(tx, WebhookSql.deleted(tx.handle(), lineId, mid, atMillis, nowMillis)));
    }

    /** The account's attempt with this msg_id that did not fail and holds it in the unique index, if any (at most one). */
    public Optional<LogRow> findLiveAttempt(long accountId, String msgId) {
        return db.call(h -> h.createQuery("""
                        SELECT * FROM message_log
                        WHERE account_id = :account AND msg_id = :msgId AND direction = 'out' AND state <> 'failed'
                          AND idempotent""")
                .bind("account", accountId)
                .bind("msgId", msgId)
                .map((rs, ctx) -> LogRows.map(rs))
                .findFirst());
    }

    /** The account's newest row with this msg_id, failed attempts included. */
    public Optional<LogRow> findNewestByMsgId(long accountId, String msgId) {
        return db.call(h -> h.createQuery("""
                        SELECT * FROM message_log WHERE account_id = :account AND msg_id = :msgId
                        ORDER BY id DESC LIMIT 1""")
                .bind("account", accountId)
                .bind("msgId", msgId)
                .map((rs, ctx) -> LogRows.map(rs))
                .findFirst());
    }

    /** The row with this id if it belongs to this account (another account's row is as absent as a missing one). */
    public Optional<LogRow> findForAccount(long accountId, long id) {
        return find(id).filter(row -> row.accountId() == accountId);
    }

    public Optional<LogRow> find(long id) {
        return db.call(h -> h.createQuery("SELECT * FROM message_log WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> LogRows.map(rs))
                .findOne());
    }

    /** The rows with these ids, by id; an id with no row is left out. */
    public Map<Long, LogRow> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return db.call(h -> h.createQuery("SELECT * FROM message_log WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> LogRows.map(rs))
                .collect(Collectors.toMap(LogRow::id, row -> row)));
    }

    /** Newest first. */
    public List<LogRow> list(Optional<Long> accountId, int limit) {
        return db.call(h -> {
            Query q = h.createQuery("SELECT * FROM message_log"
                    + (accountId.isPresent() ? " WHERE account_id = :account" : "")
                    + " ORDER BY id DESC LIMIT :limit");
            accountId.ifPresent(a -> q.bind("account", a));
            return q.bind("limit", limit).map((rs, ctx) -> LogRows.map(rs)).list();
        });
    }

    /**
     * Rows matching the filter, newest first (id descending), below {@code beforeId} when given, at most {@code limit}.
     * Each filter alone has an index that walks its rows in id order (V14 and earlier), so a page reads about
     * {@code limit} rows however large the log; {@code since}/{@code until} narrow what the walk returns.
     */
    public List<LogRow> page(LogFilter filter, Optional<Long> beforeId, int limit) {
        return db.call(h -> pageQuery(h, "", filter, beforeId, limit).map((rs, ctx) -> LogRows.map(rs)).list());
    }

    /** {@link #page}'s statement, after {@code prefix} (tests put {@code EXPLAIN} there to see its plan). */
    static Query pageQuery(org.jdbi.v3.core.Handle h, String prefix, LogFilter filter, Optional<Long> beforeId,
                           int limit) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        filter.accountId().ifPresent(v -> where.append(" AND account_id = :account"));
        filter.lineId().ifPresent(v -> where.append(" AND line_id = :line"));
        filter.state().ifPresent(v -> where.append(" AND state = :state"));
        filter.direction().ifPresent(v -> where.append(" AND direction = :direction"));
        filter.peerId().ifPresent(v -> where.append(" AND peer_id = :peer"));
        filter.msgId().ifPresent(v -> where.append(" AND msg_id = :msgId"));
        filter.sinceMillis().ifPresent(v -> where.append(" AND created_at >= :since"));
        filter.untilMillis().ifPresent(v -> where.append(" AND created_at < :until"));
        beforeId.ifPresent(v -> where.append(" AND id < :before"));
        Query q = h.createQuery(prefix + "SELECT * FROM message_log" + where + " ORDER BY id DESC LIMIT :limit");
        filter.accountId().ifPresent(v -> q.bind("account", v));
        filter.lineId().ifPresent(v -> q.bind("line", v));
        filter.state().ifPresent(v -> q.bind("state", v.dbValue()));
        filter.direction().ifPresent(v -> q.bind("direction", v));
        filter.peerId().ifPresent(v -> q.bind("peer", v));
        filter.msgId().ifPresent(v -> q.bind("msgId", v));
        filter.sinceMillis().ifPresent(v -> q.bind("since", v));
        filter.untilMillis().ifPresent(v -> q.bind("until", v));
        beforeId.ifPresent(v -> q.bind("before", v));
        return q.bind("limit", limit);
    }

    /** Runs {@code work} in one transaction of this log's database. */
    <R> R inTransaction(Function<Transaction, R> work) {
        return db.transaction(h -> {
            Transaction tx = new Transaction(h);
            try {
                return work.apply(tx);
            } finally {
                tx.closeStatements();
            }
        });
    }
}
