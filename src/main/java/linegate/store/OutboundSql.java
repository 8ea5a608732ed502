package linegate.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

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

    /**
     * Writes the row, or nothing when the entry's msg_id is held by a live attempt of the account (the
     * {@code message_log_live_msg_id} index, V2). That case is an answer, not an error: the statement does not fail, so a
     * batch transaction carries on with its other writes.
     */
    static Optional<MessageChange> insert(Handle h, NewLogEntry e) {
        LoggedError err = e.refusal().orElse(null);
        return h.createQuery("""
                        INSERT INTO message_log (account_id, line_id, channel, direction, peer_id, mtype, mdata, msg_id,
                                                 tag, state, error_code, error_status, error_detail, created_at, updated_at,
                                                 idempotent, request_hash, node_id)
                        VALUES (:account, :line, :channel, 'out', :peer, :mtype, :mdata, :msgId,
                                :tag, :state, :errorCode, :errorStatus, :errorDetail, :now, :now, :idempotent,
                                :requestHash, :node)
                        ON CONFLICT (account_id, msg_id)
                            WHERE idempotent AND msg_id IS NOT NULL AND direction = 'out' AND state <> 'failed'
                            DO NOTHING
                        RETURNING id""")
                .bind("account", e.accountId())
                .bind("line", e.lineId())
                .bind("channel", e.channel().dbValue())
                .bind("peer", e.peerId())
                .bind("mtype", e.mtype())
                .bind("mdata", e.mdata())
                .bind("msgId", e.msgId().orElse(null))
                .bind("tag", e.tag().orElse(null))
                .bind("state", e.initialState().dbValue())
                .bind("errorCode", err == null ? null : err.statusCode())
                .bind("errorStatus", err == null ? null : err.status())
                .bind("errorDetail", err == null ? null : err.detail())
                .bind("now", e.createdAtMillis())
                .bind("idempotent", true)
                .bind("requestHash", e.requestHash().orElse(null))
                .bind("node", e.nodeId().isPresent() ? e.nodeId().getAsLong() : null)
                .mapTo(Long.class)
                .findOne()
                .map(id -> new MessageChange(id, e.accountId(), e.lineId(), e.peerId(),
                        e.refusal().isPresent() ? MessageChange.Kind.FAILED : MessageChange.Kind.ACCEPTED,
                        e.createdAtMillis()));
    }

    /** Only an {@code accepted} row moves: a final state is never overwritten (a late or repeated finish is a no-op). */
    static List<MessageChange> finish(Handle h, long id, LogOutcome outcome) {
        return switch (outcome) {
            case LogOutcome.Sent s -> ChangedRows.of(h.createQuery("""
                                    UPDATE message_log SET state = 'sent', meta_message_id = :mid, sent_at = :at, updated_at = :at
                                    WHERE id = :id AND state = 'accepted'
                                    RETURNING id, account_id, line_id, peer_id""")
                            .bind("id", id).bind("mid", s.metaMessageId()).bind("at", s.atMillis()),
                    MessageChange.Kind.SENT, s.atMillis());
            case LogOutcome.Failed f -> markError(h, id, MessageChange.Kind.FAILED, f.error(), f.atMillis());
            case LogOutcome.Unknown u -> markError(h, id, MessageChange.Kind.UNKNOWN, u.error(), u.atMillis());
        };
    }

    private static List<MessageChange> markError(Handle h, long id, MessageChange.Kind kind, LoggedError e, long at) {
        return ChangedRows.of(h.createQuery("""
                        UPDATE message_log SET state = :state, error_code = :code, error_status = :status, error_detail = :detail,
                               meta_code = :metaCode, meta_subcode = :metaSubcode, meta_type = :metaType,
                               meta_message = :metaMessage, meta_fbtrace_id = :fbtrace, updated_at = :at
                        WHERE id = :id AND state = 'accepted'
                        RETURNING id, account_id, line_id, peer_id""")
                .bind("id", id)
                .bind("state", LogState.valueOf(kind.name()).dbValue())
                .bind("code", e.statusCode())
                .bind("status", e.status())
                .bind("detail", e.detail())
                .bind("metaCode", e.metaCode())
                .bind("metaSubcode", e.metaSubcode())
                .bind("metaType", e.metaType())
                .bind("metaMessage", e.metaMessage())
                .bind("fbtrace", e.fbtraceId())
                .bind("at", at), kind, at);
    }

    /** See {@link MessageLog#markAbandonedAsUnknown}. */
    static List<MessageChange> abandoned(Handle h, long cutoffMillis, long nowMillis, long nodeId, Collection<Long> held) {
        Query update = h.createQuery("""
                        UPDATE message_log SET state = 'unknown', error_code = 280, error_status = 'Meta API unreachable',
                               error_detail = 'abandoned: the process sending it stopped before Meta answered',
                               updated_at = :now
                        WHERE state = 'accepted' AND created_at < :cutoff AND (node_id IS NULL OR node_id = :node)
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
