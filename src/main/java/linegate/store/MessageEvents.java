package linegate.store;

import java.time.Duration;
import java.util.List;

/**
 * The webhook side of {@code message_log}: inbound rows, echoes, delivery and read receipts, edits and deletions.
 * Every write is idempotent (an event applied twice changes nothing) and states only move forward
 * ({@code sent -> delivered -> read}), so Meta's redeliveries and out-of-order events are harmless.
 */
public final class MessageEvents {
    /** How far from an echo's time an unanswered send of the same text may be to be recognised as that echo. */
    static final Duration ECHO_MATCH = Duration.ofMinutes(10);

    private final Database db;

    public MessageEvents(Database db) {
        this.db = db;
    }

    /** Writes the row unless an event with the same key is already logged on this line; true when written. */
    public boolean insert(InboundEntry e, long nowMillis) {
        return db.call(h -> h.createUpdate("""
                        INSERT INTO message_log (account_id, line_id, channel, direction, peer_id, mtype, mdata,
                                                 meta_message_id, state, origin, event_key, event_json,
                                                 created_at, updated_at, sent_at)
                        VALUES (:account, :line, :channel, :direction, :peer, :mtype, :mdata, :mid, :state, :origin,
                                :key, :json, :now, :now, :at)
                        ON CONFLICT DO NOTHING""")
                .bind("account", e.accountId())
                .bind("line", e.lineId())
                .bind("channel", e.channel().dbValue())
                .bind("direction", e.echo() ? "out" : "in")
                .bind("peer", e.peerId())
                .bind("mtype", e.mtype())
                .bind("mdata", e.content())
                .bind("mid", e.metaMessageId().orElse(null))
                .bind("state", e.echo() ? "sent" : "received")
                .bind("origin", e.echo() ? "meta_app" : "customer")
                .bind("key", e.eventKey())
                .bind("json", e.eventJson())
                .bind("now", nowMillis)
                .bind("at", e.eventAtMillis())
                .execute()) == 1;
    }

    /**
     * An echo of a message the business sent. True when it is one of Linegate's own sends: already known by its
     * message id, or a text send still {@code unknown}/{@code accepted} (Meta did not answer) whose text, peer and
     * time match, which the echo proves was sent. False when Linegate did not send it (typed in Meta's apps).
     */
    public boolean confirmEcho(long lineId, String peerId, String mid, String mtype, String content, long atMillis,
                               long nowMillis) {
        return db.transaction(h -> {
            int known = h.createQuery("""
                            SELECT COUNT(*) FROM message_log
                            WHERE line_id = :line AND direction = 'out' AND meta_message_id = :mid""")
                    .bind("line", lineId).bind("mid", mid).mapTo(Integer.class).one();
            if (known > 0) {
                return true;
            }
            if (!mtype.equals("text")) {
                return false;
            }
            return h.createUpdate("""
                            UPDATE message_log SET state = 'sent', meta_message_id = :mid, sent_at = :at, updated_at = :now
                            WHERE id = (SELECT id FROM message_log
                                        WHERE line_id = :line AND direction = 'out' AND origin = 'api' AND peer_id = :peer
                                          AND state IN ('unknown', 'accepted') AND mtype = 'text' AND mdata = :text
                                          AND created_at BETWEEN :from AND :to
                                        ORDER BY id LIMIT 1)""")
                    .bind("line", lineId).bind("peer", peerId).bind("mid", mid).bind("text", content)
                    .bind("at", atMillis).bind("now", nowMillis)
                    .bind("from", atMillis - ECHO_MATCH.toMillis()).bind("to", atMillis + ECHO_MATCH.toMillis())
                    .execute() == 1;
        });
    }

    /** Messenger delivery receipts by message id. */
    public int markDelivered(long lineId, List<String> mids, long atMillis, long nowMillis) {
        if (mids.isEmpty()) {
            return 0;
        }
        return db.call(h -> h.createUpdate("""
                        UPDATE message_log SET state = CASE WHEN state = 'sent' THEN 'delivered' ELSE state END,
                               delivered_at = COALESCE(delivered_at, :at), updated_at = :now
                        WHERE line_id = :line AND direction = 'out' AND meta_message_id IN (<mids>)
                          AND state IN ('sent', 'delivered', 'read') AND delivered_at IS NULL""")
                .bind("line", lineId).bindList("mids", mids).bind("at", atMillis).bind("now", nowMillis)
                .execute());
    }

    /** Messenger's watermark: every message to this peer sent at or before it has been delivered. */
    public int markDeliveredUpTo(long lineId, String peerId, long watermark, long nowMillis) {
        return db.call(h -> h.createUpdate("""
                        UPDATE message_log SET state = CASE WHEN state = 'sent' THEN 'delivered' ELSE state END,
                               delivered_at = COALESCE(delivered_at, :at), updated_at = :now
                        WHERE line_id = :line AND direction = 'out' AND peer_id = :peer AND sent_at <= :at
                          AND state IN ('sent', 'delivered', 'read') AND delivered_at IS NULL""")
                .bind("line", lineId).bind("peer", peerId).bind("at", watermark).bind("now", nowMillis)
                .execute());
    }

    /** Instagram's seen receipt: the message {@code mid}, and every earlier one to the same peer, has been read. */
    public int markReadThrough(long lineId, String peerId, String mid, long atMillis, long nowMillis) {
        return db.call(h -> h.createUpdate("""
                        UPDATE message_log SET state = 'read', read_at = COALESCE(read_at, :at),
                               delivered_at = COALESCE(delivered_at, :at), updated_at = :now
                        WHERE line_id = :line AND direction = 'out' AND peer_id = :peer
                          AND state IN ('sent', 'delivered')
                          AND sent_at <= (SELECT MAX(sent_at) FROM message_log
                                          WHERE line_id = :line AND direction = 'out' AND meta_message_id = :mid)""")
                .bind("line", lineId).bind("peer", peerId).bind("mid", mid).bind("at", atMillis).bind("now", nowMillis)
                .execute());
    }

    /** Messenger's read watermark: every message to this peer sent at or before it has been read. */
    public int markReadUpTo(long lineId, String peerId, long watermark, long atMillis, long nowMillis) {
        return db.call(h -> h.createUpdate("""
                        UPDATE message_log SET state = 'read', read_at = COALESCE(read_at, :at),
                               delivered_at = COALESCE(delivered_at, :at), updated_at = :now
                        WHERE line_id = :line AND direction = 'out' AND peer_id = :peer AND sent_at <= :watermark
                          AND state IN ('sent', 'delivered')""")
                .bind("line", lineId).bind("peer", peerId).bind("watermark", watermark).bind("at", atMillis)
                .bind("now", nowMillis)
                .execute());
    }

    /** A customer's edit: the new text replaces the old one if it is a later edit than the one logged. */
    public int applyEdit(long lineId, String mid, String text, int editCount, long nowMillis) {
        return db.call(h -> h.createUpdate("""
                        UPDATE message_log SET mdata = :text, edit_count = :edits, updated_at = :now
                        WHERE line_id = :line AND direction = 'in' AND meta_message_id = :mid AND edit_count < :edits""")
                .bind("line", lineId).bind("mid", mid).bind("text", text).bind("edits", editCount).bind("now", nowMillis)
                .execute());
    }

    /** A customer deleted a message: the row stays (nothing vanishes) and records when. */
    public int markDeleted(long lineId, String mid, long atMillis, long nowMillis) {
        return db.call(h -> h.createUpdate("""
                        UPDATE message_log SET deleted_at = :at, updated_at = :now
                        WHERE line_id = :line AND direction = 'in' AND meta_message_id = :mid AND deleted_at IS NULL""")
                .bind("line", lineId).bind("mid", mid).bind("at", atMillis).bind("now", nowMillis)
                .execute());
    }
}
