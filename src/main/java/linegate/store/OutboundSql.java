package linegate.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The send side's statements on {@code message_log}, run by {@link MessageLog} in its transaction: outbound rows, their
 * outcomes, and the sweeps of rows whose send stopped before Meta's answer was recorded. Each returns the changes it
 * made, read from the rows it wrote.
 */
final class OutboundSql {
    private OutboundSql() {
    }

    private static final String INSERT = """
            INSERT INTO message_log (account_id, line_id, channel, direction, peer_id, mtype, mdata, msg_id,
                                     tag, state, error_code, error_status, error_detail, created_at, updated_at,
                                     idempotent, request_hash, node_id, attempts, next_attempt_at, options)
            VALUES (?, ?, ?, 'out', ?, ?, ?, ?,
                    ?, ?, ?, ?, ?, ?, ?,
                    TRUE, ?, ?, ?,
                    CASE WHEN CAST(? AS BIGINT) IS NULL THEN NULL
                         WHEN EXISTS (SELECT 1 FROM message_log e
                                      WHERE e.line_id = ? AND e.peer_id = ?
                                        AND e.attempts IS NOT NULL AND e.state IN ('queued', 'accepted')) THEN NULL
                         ELSE CAST(? AS BIGINT) END,
                    ?)
            ON CONFLICT (account_id, msg_id)
                WHERE idempotent AND msg_id IS NOT NULL AND direction = 'out' AND state <> 'failed'
                DO NOTHING
            RETURNING id""";

    private static final String SENT = """
            UPDATE message_log SET state = 'sent', meta_message_id = ?, sent_at = ?, updated_at = ?
            WHERE id = ? AND state = 'accepted'
            RETURNING id, account_id, line_id, peer_id, attempts""";

    private static final String ERROR = """
            UPDATE message_log SET state = ?, error_code = ?, error_status = ?, error_detail = ?,
                   meta_code = ?, meta_subcode = ?, meta_type = ?, meta_message = ?, meta_fbtrace_id = ?, updated_at = ?
            WHERE id = ? AND state = 'accepted'
            RETURNING id, account_id, line_id, peer_id, attempts""";

    /**
     * Writes the row, or nothing when the entry's msg_id is held by a live attempt of the account (the
     * {@code message_log_live_msg_id} index, V2). That case is an answer, not an error: the statement does not fail, so a
     * batch transaction carries on with its other writes. Plain JDBC on the transaction's prepared statement, reused by
     * every append of a group-commit batch.
     */
    static Optional<MessageChange> insert(Transaction tx, NewLogEntry e) {
        try {
            PreparedStatement p = tx.prepared(INSERT);
            bindInsert(p, e);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(inserted(e, rs.getLong(1))) : Optional.empty();
            }
        } catch (SQLException failure) {
            throw Database.failed(failure);
        }
    }

    /**
     * {@link #insert} of each entry, in order, as one JDBC batch (PostgreSQL: one round trip for all); an entry whose
     * msg_id is held, by a committed row or by an earlier entry of the same batch, writes nothing.
     */
    static List<Optional<MessageChange>> insertAll(Transaction tx, List<NewLogEntry> entries) {
        try {
            PreparedStatement p = tx.preparedReturning(INSERT);
            for (NewLogEntry e : entries) {
                bindInsert(p, e);
                p.addBatch();
            }
            int[] counts = p.executeBatch();
            List<Optional<MessageChange>> changes = new ArrayList<>(entries.size());
            try (ResultSet ids = p.getGeneratedKeys()) {
                for (int i = 0; i < entries.size(); i++) {
                    changes.add(counts[i] > 0 && ids.next() ? Optional.of(inserted(entries.get(i), ids.getLong(1)))
                            : Optional.empty());
                }
            }
            return changes;
        } catch (SQLException failure) {
            throw Database.failed(failure);
        }
    }

    private static void bindInsert(PreparedStatement p, NewLogEntry e) throws SQLException {
        LoggedError err = e.refusal().orElse(null);
        p.setLong(1, e.accountId());
        p.setLong(2, e.lineId());
        p.setString(3, e.channel().dbValue());
        p.setString(4, StoredText.encode(e.peerId()));
        p.setString(5, StoredText.encode(e.mtype()));
        p.setString(6, StoredText.encode(e.mdata()));
        p.setString(7, StoredText.encode(e.msgId().orElse(null)));
        p.setString(8, StoredText.encode(e.tag().orElse(null)));
        p.setString(9, e.initialState().dbValue());
        p.setObject(10, err == null ? null : err.statusCode(), Types.INTEGER);
        p.setString(11, err == null ? null : StoredText.encode(err.status()));
        p.setString(12, err == null ? null : StoredText.encode(err.detail()));
        p.setLong(13, e.createdAtMillis());
        p.setLong(14, e.createdAtMillis());
        p.setString(15, e.requestHash().orElse(null));
        p.setObject(16, e.nodeId().isPresent() ? e.nodeId().getAsLong() : null, Types.BIGINT);
        // a queued send has made no Graph call yet, and is due at once unless an earlier queued send of its
        // conversation is not final yet: then it waits unscheduled (NULL) until that one is (SendQueue); a direct
        // send has neither
        Long due = e.queued() ? e.createdAtMillis() : null;
        p.setObject(17, e.queued() ? 0 : null, Types.INTEGER);
        p.setObject(18, due, Types.BIGINT);
        p.setLong(19, e.lineId());
        p.setString(20, StoredText.encode(e.peerId()));
        p.setObject(21, due, Types.BIGINT);
        p.setString(22, StoredText.encode(e.options().orElse(null)));
    }

    private static MessageChange inserted(NewLogEntry e, long id) {
        MessageChange.Kind kind = switch (e.initialState()) {
            case FAILED -> MessageChange.Kind.FAILED;
            case QUEUED -> MessageChange.Kind.QUEUED;
            default -> MessageChange.Kind.ACCEPTED;
        };
        return new MessageChange(id, e.accountId(), e.lineId(), e.peerId(), kind, e.createdAtMillis());
    }

    /**
     * Only an {@code accepted} row moves: a final state is never overwritten (a late or repeated finish is a no-op).
     * A queued send's end makes its conversation's next queued send due in the same transaction
     * ({@link SendQueue#promoteNext}), so no crash can come between the two.
     */
    static List<MessageChange> finish(Transaction tx, long id, LogOutcome outcome) {
        try {
            PreparedStatement p = tx.prepared(outcome instanceof LogOutcome.Sent ? SENT : ERROR);
            bindFinish(p, id, outcome);
            List<MessageChange> changes = new ArrayList<>(1);
            List<MessageChange> queued = new ArrayList<>(1);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    changes.add(changed(rs, outcome, queued));
                }
            }
            SendQueue.promoteNext(tx, queued);
            return changes;
        } catch (SQLException failure) {
            throw Database.failed(failure);
        }
    }

    /**
     * {@link #finish} of each row, as one JDBC batch per statement (PostgreSQL: a round trip each); the changes in the
     * rows' order. Each row at most once: two outcomes for one row would no longer run in their order.
     */
    static List<List<MessageChange>> finishAll(Transaction tx, List<Long> ids, List<LogOutcome> outcomes) {
        List<List<MessageChange>> changes = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            changes.add(List.of());
        }
        List<MessageChange> queued = new ArrayList<>();
        try {
            for (boolean sent : new boolean[] {true, false}) {
                List<Integer> entries = new ArrayList<>();
                PreparedStatement p = tx.preparedReturning(sent ? SENT : ERROR);
                for (int i = 0; i < ids.size(); i++) {
                    if (outcomes.get(i) instanceof LogOutcome.Sent == sent) {
                        bindFinish(p, ids.get(i), outcomes.get(i));
                        p.addBatch();
                        entries.add(i);
                    }
                }
                if (entries.isEmpty()) {
                    continue;
                }
                int[] counts = p.executeBatch();
                try (ResultSet rows = p.getGeneratedKeys()) {
                    for (int k = 0; k < entries.size(); k++) {
                        int i = entries.get(k);
                        if (counts[k] > 0 && rows.next()) {
                            changes.set(i, List.of(changed(rows, outcomes.get(i), queued)));
                        }
                    }
                }
            }
            SendQueue.promoteNext(tx, queued);
            return changes;
        } catch (SQLException failure) {
            throw Database.failed(failure);
        }
    }

    private static void bindFinish(PreparedStatement p, long id, LogOutcome outcome) throws SQLException {
        switch (outcome) {
            case LogOutcome.Sent s -> {
                p.setString(1, StoredText.encode(s.metaMessageId()));
                p.setLong(2, s.atMillis());
                p.setLong(3, s.atMillis());
                p.setLong(4, id);
            }
            case LogOutcome.Failed f -> bindError(p, id, MessageChange.Kind.FAILED, f.error(), f.atMillis());
            case LogOutcome.Unknown u -> bindError(p, id, MessageChange.Kind.UNKNOWN, u.error(), u.atMillis());
        }
    }

    private static void bindError(PreparedStatement p, long id, MessageChange.Kind kind, LoggedError e, long at)
            throws SQLException {
        p.setString(1, LogState.valueOf(kind.name()).dbValue());
        p.setInt(2, e.statusCode());
        p.setString(3, StoredText.encode(e.status()));
        p.setString(4, StoredText.encode(e.detail()));
        p.setObject(5, e.metaCode(), Types.INTEGER);
        p.setObject(6, e.metaSubcode(), Types.INTEGER);
        p.setString(7, StoredText.encode(e.metaType()));
        p.setString(8, StoredText.encode(e.metaMessage()));
        p.setString(9, StoredText.encode(e.fbtraceId()));
        p.setLong(10, at);
        p.setLong(11, id);
    }

    /**
     * A row that {@code RETURNING id, account_id, line_id, peer_id, attempts} gave for a finish; added to
     * {@code queued} too when it was a queued send's (attempts counted).
     */
    private static MessageChange changed(ResultSet rs, LogOutcome outcome, List<MessageChange> queued)
            throws SQLException {
        MessageChange.Kind kind = switch (outcome) {
            case LogOutcome.Sent s -> MessageChange.Kind.SENT;
            case LogOutcome.Failed f -> MessageChange.Kind.FAILED;
            case LogOutcome.Unknown u -> MessageChange.Kind.UNKNOWN;
        };
        MessageChange change = new MessageChange(rs.getLong("id"), rs.getLong("account_id"), rs.getLong("line_id"),
                StoredText.read(rs, "peer_id"), kind, outcome.atMillis());
        rs.getLong("attempts");
        if (!rs.wasNull()) {
            queued.add(change);
        }
        return change;
    }

    /** See {@link MessageLog#markAbandonedAsUnknown}. */
    static List<MessageChange> abandoned(Handle h, long cutoffMillis, long nowMillis, long nodeId, Collection<Long> held) {
        Query update = h.createQuery("""
                        UPDATE message_log SET state = 'unknown', error_code = 280, error_status = 'Meta API unreachable',
                               error_detail = 'abandoned: the process sending it stopped before Meta answered',
                               updated_at = :now
                        WHERE state = 'accepted' AND updated_at < :cutoff AND (node_id IS NULL OR node_id = :node)
                        """
                        + (held.isEmpty() ? "" : " AND id NOT IN (<held>)")
                        + " RETURNING id, account_id, line_id, peer_id")
                .bind("cutoff", cutoffMillis)
                .bind("now", nowMillis)
                .bind("node", nodeId);
        if (!held.isEmpty()) {
            update.bindList("held", List.copyOf(held));
        }
        return ChangedRows.of(update, MessageChange.Kind.UNKNOWN, nowMillis);
    }

    /** See {@link MessageLog#markOrphansAsUnknown}. */
    static List<MessageChange> orphans(Handle h, long silentSinceMillis, long nowMillis) {
        return ChangedRows.of(h.createQuery("""
                        UPDATE message_log SET state = 'unknown', error_code = 280, error_status = 'Meta API unreachable',
                               error_detail = 'abandoned: the node sending it stopped before Meta''s answer was recorded',
                               updated_at = :now
                        WHERE state = 'accepted'
                          AND node_id IN (SELECT id FROM nodes WHERE stopped_at IS NOT NULL OR last_seen < :silentSince)
                        RETURNING id, account_id, line_id, peer_id""")
                .bind("silentSince", silentSinceMillis)
                .bind("now", nowMillis), MessageChange.Kind.UNKNOWN, nowMillis);
    }

    /** See {@link MessageLog#markLeftByEarlierProcessesAsUnknown}. */
    static List<MessageChange> leftByEarlierProcesses(Handle h, long nodeId, long nowMillis) {
        return ChangedRows.of(h.createQuery("""
                        UPDATE message_log SET state = 'unknown', error_code = 280, error_status = 'Meta API unreachable',
                               error_detail = 'abandoned: the process sending it stopped before Meta answered',
                               updated_at = :now
                        WHERE state = 'accepted' AND (node_id IS NULL OR node_id <> :node)
                        RETURNING id, account_id, line_id, peer_id""")
                .bind("node", nodeId)
                .bind("now", nowMillis), MessageChange.Kind.UNKNOWN, nowMillis);
    }
}
