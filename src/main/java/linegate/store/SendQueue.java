package linegate.store;

import org.jdbi.v3.core.statement.Query;

import java.sql.PreparedStatement;
import java.sql.SQLException;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The queue of queued sends (async=1), which is the {@code message_log} rows in state {@code queued}: this class owns
 * their queue columns ({@code attempts}, {@code next_attempt_at}, {@code retry_reason}) and their moves between
 * {@code queued} and {@code accepted}; their final states are recorded by {@link MessageLogWriter#finish}, as a direct
 * send's are. Changes that end a queued send here (expired, cancelled) go to the log's {@link ChangeRecorder} in the
 * same transaction, so each has its {@code message.status} event.
 * <p>
 * A conversation (line, peer) sends in order: only its head, its oldest queued send that is not final, may be claimed,
 * and a claimed row stays the head until it is final, so the next waits for Meta's answer to the one before (and for
 * its retries). A claim moves rows to {@code accepted} under the claiming node's id; from there a row is exactly like a
 * direct send in flight: if the node dies, the sweeps mark it {@code unknown} (never sent twice). Claims are
 * compare-and-set on the state, so with several nodes on PostgreSQL exactly one node claims each row.
 */
public final class SendQueue {
    /**
     * Due queued rows that head their conversation, in due order. The walk follows message_log_queue_due (V9) and stops at
     * {@code limit}; each probe for an earlier live queued send of the conversation is one look-up in
     * message_log_queue_conversation (its WHERE is written exactly as that partial index's, V9).
     */
    private static final String DUE_HEADS = """
            SELECT q.* FROM message_log q
            WHERE q.state = 'queued' AND q.next_attempt_at <= :now
              AND NOT EXISTS (SELECT 1 FROM message_log e
                              WHERE e.line_id = q.line_id AND e.peer_id = q.peer_id AND e.id < q.id
                                AND e.attempts IS NOT NULL AND e.state IN ('queued', 'accepted'))
            ORDER BY q.next_attempt_at
            LIMIT :limit""";

    /**
     * Compare-and-set: only rows still queued and due move. {@code state || ''} keeps SQLite on the primary key for
     * the id list; compared plainly, it walks message_log_queue_due (every due row) instead.
     */
    private static final String CLAIM = """
            UPDATE message_log SET state = 'accepted', node_id = :node, attempts = attempts + 1, updated_at = :now
            WHERE id IN (<ids>) AND state || '' = 'queued' AND next_attempt_at <= :now
            RETURNING *""";

    private static final String REQUEUE = """
            UPDATE message_log SET state = 'queued', node_id = NULL, next_attempt_at = :next, retry_reason = :reason,
                                   updated_at = :now
            WHERE id = :id AND state = 'accepted' AND node_id = :node""";

    private static final String EXPIRE = """
            UPDATE message_log SET state = 'failed', error_code = 262, error_status = 'Expired in queue',
                   error_detail = CAST(:detail AS TEXT) || COALESCE('; the last attempt: ' || retry_reason, ''), updated_at = :now
            WHERE state = 'queued' AND created_at < :cutoff
            RETURNING id, account_id, line_id, peer_id""";

    private static final String CANCEL = """
            UPDATE message_log SET state = 'failed', error_code = 263, error_status = 'Cancelled',
                   error_detail = 'cancelled by an operator before it was sent', updated_at = :now
            WHERE id = :id AND state = 'queued'
            RETURNING id, account_id, line_id, peer_id""";

    /**
     * The next queued send of a conversation becomes due once the one before it is final, in the transaction that
     * made it final. Rows queued behind an earlier live send wait with no {@code next_attempt_at} (the insert decides,
     * OutboundSql), so the due walk never passes over them: a long queue in one conversation costs a round nothing.
     * Parameters: now, line, peer.
     */
    private static final String PROMOTE_NEXT = """
            UPDATE message_log SET next_attempt_at = ?
            WHERE id = (SELECT MIN(e.id) FROM message_log e
                        WHERE e.line_id = ? AND e.peer_id = ?
                          AND e.attempts IS NOT NULL AND e.state IN ('queued', 'accepted'))
              AND state = 'queued' AND next_attempt_at IS NULL""";

    /**
     * Every waiting row that heads its conversation, due now: the conversations whose send before was ended by
     * anything but a worker here (a sweep's unknown, 262, a node that stopped between recording and promoting).
     */
    private static final String PROMOTE_STRANDED = """
            UPDATE message_log SET next_attempt_at = :now
            WHERE id IN (SELECT q.id FROM message_log q
                         WHERE q.state = 'queued' AND q.next_attempt_at IS NULL
                           AND NOT EXISTS (SELECT 1 FROM message_log e
                                           WHERE e.line_id = q.line_id AND e.peer_id = q.peer_id AND e.id < q.id
                                             AND e.attempts IS NOT NULL AND e.state IN ('queued', 'accepted')))""";

    private final Database db;
    private final MessageLog log;

    public SendQueue(Database db, MessageLog log) {
        this.db = db;
        this.log = log;
    }

    /** Up to {@code limit} queued rows due at {@code nowMillis}, each the head of its conversation; a read only. */
    public List<LogRow> dueHeads(long nowMillis, int limit) {
        return db.call(h -> h.createQuery(DUE_HEADS)
                .bind("now", nowMillis)
                .bind("limit", limit)
                .map((rs, ctx) -> LogRows.map(rs))
                .list());
    }

    /**
     * Claims those of {@code ids} that are still queued and due, for {@code nodeId}, in one transaction: they become
     * {@code accepted}, their attempts count one more. Rows another node claimed first are left out.
     */
    public List<LogRow> claim(Collection<Long> ids, long nodeId, long nowMillis) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.transaction(h -> h.createQuery(CLAIM)
                .bindList("ids", List.copyOf(ids))
                .bind("node", nodeId)
                .bind("now", nowMillis)
                .map((rs, ctx) -> LogRows.map(rs))
                .list());
    }

    /**
     * Puts a row this node claimed back in the queue, due at {@code nextAttemptAtMillis}, after an attempt that did not
     * reach the customer (Meta was not reached, or Meta asked to try again). False when the row is no longer this
     * node's accepted row (a sweep marked it unknown meanwhile): then nothing changes.
     */
    public boolean requeue(long id, long nodeId, long nextAttemptAtMillis, String reason, long nowMillis) {
        return db.transaction(h -> h.createUpdate(REQUEUE)
                .bind("id", id)
                .bind("node", nodeId)
                .bind("next", nextAttemptAtMillis)
                .bind("reason", StoredText.encode(reason))
                .bind("now", nowMillis)
                .execute()) == 1;
    }

    /** Makes due every waiting row that heads its conversation (see PROMOTE_STRANDED); how many. */
    public int promoteStranded(long nowMillis) {
        return db.transaction(h -> h.createUpdate(PROMOTE_STRANDED).bind("now", nowMillis).execute());
    }

    /** Queued rows written before {@code cutoffMillis} fail with 262; {@code detail} says how long they may wait. */
    public List<MessageChange> expire(long cutoffMillis, String detail, long nowMillis) {
        return log.inTransaction(tx -> promoteAfter(tx, log.record(tx, ChangedRows.of(tx.handle().createQuery(EXPIRE)
                .bind("detail", detail)
                .bind("cutoff", cutoffMillis)
                .bind("now", nowMillis), MessageChange.Kind.FAILED, nowMillis))));
    }

    /** A still-queued row fails with 263; empty when the row is not queued (in flight, final, or no such row). */
    public Optional<MessageChange> cancel(long id, long nowMillis) {
        return log.inTransaction(tx -> promoteAfter(tx, log.record(tx, ChangedRows.of(tx.handle().createQuery(CANCEL)
                .bind("id", id)
                .bind("now", nowMillis), MessageChange.Kind.FAILED, nowMillis)))).stream().findFirst();
    }

    /** In the transaction that ended them: the next queued send of each of their conversations becomes due. */
    private static List<MessageChange> promoteAfter(Transaction tx, List<MessageChange> ended) {
        try {
            promoteNext(tx, ended);
        } catch (SQLException e) {
            throw Database.failed(e);
        }
        return ended;
    }

    /**
     * In the transaction that made them final ({@link OutboundSql#finish}, expiry, cancel): for each queued send that
     * ended, the next queued send of its conversation becomes due at the change's time; one JDBC batch.
     */
    static void promoteNext(Transaction tx, List<MessageChange> ended) throws SQLException {
        if (ended.isEmpty()) {
            return;
        }
        PreparedStatement p = tx.prepared(PROMOTE_NEXT);
        for (MessageChange c : ended) {
            p.setLong(1, c.atMillis());
            p.setLong(2, c.lineId());
            p.setString(3, StoredText.encode(c.peerId()));
            p.addBatch();
        }
        p.executeBatch();
    }

    /**
     * Queued sends not yet final (queued, or in flight to Meta), oldest first. A queued one without
     * {@code nextAttemptAt} waits behind an earlier send of its conversation.
     */
    public List<LogRow> list(Optional<Long> accountId, Optional<Long> lineId, int limit) {
        return db.call(h -> {
            Query q = h.createQuery("SELECT * FROM message_log WHERE attempts IS NOT NULL"
                    + " AND state IN ('queued', 'accepted')"
                    + (accountId.isPresent() ? " AND account_id = :account" : "")
                    + (lineId.isPresent() ? " AND line_id = :line" : "")
                    + " ORDER BY id LIMIT :limit");
            accountId.ifPresent(a -> q.bind("account", a));
            lineId.ifPresent(l -> q.bind("line", l));
            return q.bind("limit", limit).map((rs, ctx) -> LogRows.map(rs)).list();
        });
    }

    /** How many queued sends wait for a worker (in flight ones not counted). */
    public long depth() {
        return db.call(h -> h.createQuery("SELECT COUNT(*) FROM message_log WHERE state = 'queued'")
                .mapTo(Long.class).one());
    }
}
