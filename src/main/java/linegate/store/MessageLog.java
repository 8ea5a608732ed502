package linegate.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Owner of the {@code message_log} table. As a {@link MessageLogWriter} it writes one row per statement in autocommit:
 * the plain design, one durable transaction per write.
 */
public final class MessageLog implements MessageLogWriter {
    private final Database db;

    public MessageLog(Database db) {
        this.db = db;
    }

    @Override
    public long append(NewLogEntry e) {
        return db.call(h -> insert(h, e))
                .orElseThrow(() -> new MsgIdInUseException(e.accountId(), e.msgId().orElseThrow()));
    }

    /** The account's attempt with this msg_id that did not fail and holds it in the unique index, if any (at most one). */
    public Optional<LogRow> findLiveAttempt(long accountId, String msgId) {
        return db.call(h -> h.createQuery("""
                        SELECT * FROM message_log
                        WHERE account_id = :account AND msg_id = :msgId AND direction = 'out' AND state <> 'failed'
                          AND idempotent""")
                .bind("account", accountId)
                .bind("msgId", msgId)
                .map((rs, ctx) -> map(rs))
                .findFirst());
    }

    /** The account's newest row with this msg_id, failed attempts included. */
    public Optional<LogRow> findNewestByMsgId(long accountId, String msgId) {
        return db.call(h -> h.createQuery("""
                        SELECT * FROM message_log WHERE account_id = :account AND msg_id = :msgId
                        ORDER BY id DESC LIMIT 1""")
                .bind("account", accountId)
                .bind("msgId", msgId)
                .map((rs, ctx) -> map(rs))
                .findFirst());
    }

    /** The row with this id if it belongs to this account (another account's row is as absent as a missing one). */
    public Optional<LogRow> findForAccount(long accountId, long id) {
        return find(id).filter(row -> row.accountId() == accountId);
    }

    @Override
    public void finish(long id, LogOutcome outcome) {
        db.call(h -> finish(h, id, outcome));
    }

    /**
     * Writes the row and returns its id, or nothing when the entry's msg_id is held by a live attempt of the account
     * (the {@code message_log_live_msg_id} index, V2). That case is an answer, not an error: the statement does not
     * fail, so a batch transaction carries on with its other writes.
     */
    static Optional<Long> insert(Handle h, NewLogEntry e) {
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
                .findOne();
    }

    /** Only an {@code accepted} row moves: a final state is never overwritten (a late or repeated finish is a no-op). */
    static int finish(Handle h, long id, LogOutcome outcome) {
        return switch (outcome) {
            case LogOutcome.Sent s -> h.createUpdate("""
                            UPDATE message_log SET state = 'sent', meta_message_id = :mid, sent_at = :at, updated_at = :at
                            WHERE id = :id AND state = 'accepted'""")
                    .bind("id", id).bind("mid", s.metaMessageId()).bind("at", s.atMillis())
                    .execute();
            case LogOutcome.Failed f -> markError(h, id, LogState.FAILED, f.error(), f.atMillis());
            case LogOutcome.Unknown u -> markError(h, id, LogState.UNKNOWN, u.error(), u.atMillis());
        };
    }

    private static int markError(Handle h, long id, LogState state, LoggedError e, long at) {
        return h.createUpdate("""
                        UPDATE message_log SET state = :state, error_code = :code, error_status = :status, error_detail = :detail,
                               meta_code = :metaCode, meta_subcode = :metaSubcode, meta_type = :metaType,
                               meta_message = :metaMessage, meta_fbtrace_id = :fbtrace, updated_at = :at
                        WHERE id = :id AND state = 'accepted'""")
                .bind("id", id)
                .bind("state", state.dbValue())
                .bind("code", e.statusCode())
                .bind("status", e.status())
                .bind("detail", e.detail())
                .bind("metaCode", e.metaCode())
                .bind("metaSubcode", e.metaSubcode())
                .bind("metaType", e.metaType())
                .bind("metaMessage", e.metaMessage())
                .bind("fbtrace", e.fbtraceId())
                .bind("at", at)
                .execute();
    }

    /**
     * Rows still {@code accepted} that were created before {@code cutoffMillis} belong to a send that stopped between
     * writing the row and recording Meta's answer. Whether Meta delivered them is unknown, so they become {@code unknown}
     * (never retried, never dropped). Only rows this node claimed, or that no node claimed (written before V5), are
     * swept here, and none of {@code held}: those this node still holds Meta's answer for, waiting to record it. Rows of
     * another node are that node's to sweep while it runs, and {@link #markOrphansAsUnknown}'s once it is gone.
     */
    public int markAbandonedAsUnknown(long cutoffMillis, long nowMillis, long nodeId, Collection<Long> held) {
        return db.call(h -> {
            Update update = h.createUpdate("""
                            UPDATE message_log SET state = 'unknown', error_code = 280, error_status = 'Meta API unreachable',
                                   error_detail = 'abandoned: the process sending it stopped before Meta answered',
                                   updated_at = :now
                            WHERE state = 'accepted' AND created_at < :cutoff AND (node_id IS NULL OR node_id = :node)"""
                            + (held.isEmpty() ? "" : " AND id NOT IN (<held>)"))
                    .bind("cutoff", cutoffMillis)
                    .bind("now", nowMillis)
                    .bind("node", nodeId);
            if (!held.isEmpty()) {
                update.bindList("held", List.copyOf(held));
            }
            return update.execute();
        });
    }

    /**
     * Rows left {@code accepted} by a node that is gone (stopped, or silent since before {@code silentSinceMillis}: see
     * {@link Nodes}) become {@code unknown} at once: no running send can still record Meta's answer for them.
     */
    public int markOrphansAsUnknown(long silentSinceMillis, long nowMillis) {
        return db.call(h -> h.createUpdate("""
                        UPDATE message_log SET state = 'unknown', error_code = 280, error_status = 'Meta API unreachable',
                               error_detail = 'abandoned: the node sending it stopped before Meta''s answer was recorded',
                               updated_at = :now
                        WHERE state = 'accepted'
                          AND node_id IN (SELECT id FROM nodes WHERE stopped_at IS NOT NULL OR last_seen < :silentSince)""")
                .bind("silentSince", silentSinceMillis)
                .bind("now", nowMillis)
                .execute());
    }

    /**
     * On the embedded database, which serves one node: at start-up every row still {@code accepted} was left by an
     * earlier process, so it becomes {@code unknown} at once instead of after the age-based sweep.
     */
    public int markLeftByEarlierProcessesAsUnknown(long nodeId, long nowMillis) {
        return db.call(h -> h.createUpdate("""
                        UPDATE message_log SET state = 'unknown', error_code = 280, error_status = 'Meta API unreachable',
                               error_detail = 'abandoned: the process sending it stopped before Meta answered',
                               updated_at = :now
                        WHERE state = 'accepted' AND (node_id IS NULL OR node_id <> :node)""")
                .bind("node", nodeId)
                .bind("now", nowMillis)
                .execute());
    }

    public Optional<LogRow> find(long id) {
        return db.call(h -> h.createQuery("SELECT * FROM message_log WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    /** Newest first. */
    public List<LogRow> list(Optional<Long> accountId, int limit) {
        return db.call(h -> {
            Query q = h.createQuery("SELECT * FROM message_log"
                    + (accountId.isPresent() ? " WHERE account_id = :account" : "")
                    + " ORDER BY id DESC LIMIT :limit");
            accountId.ifPresent(a -> q.bind("account", a));
            return q.bind("limit", limit).map((rs, ctx) -> map(rs)).list();
        });
    }

    /** Text columns are read through {@link StoredText}: outside input may hold NUL, stored escaped. */
    private static LogRow map(ResultSet rs) throws SQLException {
        Integer code = nullableInt(rs, "error_code");
        Optional<LoggedError> error = code == null ? Optional.empty() : Optional.of(new LoggedError(
                code,
                StoredText.read(rs, "error_status"),
                StoredText.read(rs, "error_detail"),
                nullableInt(rs, "meta_code"),
                nullableInt(rs, "meta_subcode"),
                StoredText.read(rs, "meta_type"),
                StoredText.read(rs, "meta_message"),
                StoredText.read(rs, "meta_fbtrace_id")));
        return new LogRow(
                rs.getLong("id"),
                rs.getLong("account_id"),
                rs.getLong("line_id"),
                LineClass.fromDb(StoredText.read(rs, "channel")),
                StoredText.read(rs, "direction"),
                StoredText.read(rs, "origin"),
                StoredText.read(rs, "peer_id"),
                StoredText.read(rs, "mtype"),
                StoredText.read(rs, "mdata"),
                Optional.ofNullable(StoredText.read(rs, "msg_id")),
                Optional.ofNullable(StoredText.read(rs, "tag")),
                Optional.ofNullable(StoredText.read(rs, "meta_message_id")),
                LogState.fromDb(StoredText.read(rs, "state")),
                error,
                rs.getLong("created_at"),
                rs.getLong("updated_at"),
                nullableLong(rs, "sent_at"),
                nullableLong(rs, "delivered_at"),
                nullableLong(rs, "read_at"),
                nullableLong(rs, "deleted_at"),
                Optional.ofNullable(rs.getString("request_hash")));
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Optional<Long> nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
