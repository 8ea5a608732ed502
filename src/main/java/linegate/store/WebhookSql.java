package linegate.store;

import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The webhook side's statements on {@code message_log}, run by {@link MessageLog} in its transaction: inbound rows,
 * echoes, delivery and read receipts, edits and deletions. Every statement is idempotent (an event applied twice
 * changes nothing and reports nothing) and states only move forward ({@code sent -> delivered -> read}), so Meta's
 * redeliveries and out-of-order events are harmless.
 */
final class WebhookSql {
    /** How far from an echo's time an unanswered send of the same text may be to be recognised as that echo. */
    static final Duration ECHO_MATCH = Duration.ofMinutes(10);

    private WebhookSql() {
    }

    /** Writes the row unless an event with the same key is already logged on this line. */
    static List<MessageChange> insert(Handle h, InboundEntry e, long nowMillis) {
        return ChangedRows.of(h.createQuery("""
                        INSERT INTO message_log (account_id, line_id, channel, direction, peer_id, mtype, mdata,
                                                 meta_message_id, state, origin, event_key, event_json,
                                                 created_at, updated_at, sent_at)
                        VALUES (:account, :line, :channel, :direction, :peer, :mtype, :mdata, :mid, :state, :origin,
                                :key, :json, :now, :now, :at)
                        ON CONFLICT DO NOTHING
                        RETURNING id, account_id, line_id, peer_id""")
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
                .bind("at", e.eventAtMillis()), e.echo() ? MessageChange.Kind.ECHO : MessageChange.Kind.RECEIVED,
                e.eventAtMillis());
    }

    /** True when an outbound row of the line already carries this message id. */
    static boolean knownOutbound(Handle h, long lineId, String mid) {
        return h.createQuery("""
                        SELECT COUNT(*) FROM message_log
                        WHERE line_id = :line AND direction = 'out' AND meta_message_id = :mid""")
                .bind("line", lineId).bind("mid", mid).mapTo(Integer.class).one() > 0;
    }

    /**
     * The oldest text send to the echo's peer still {@code unknown}/{@code accepted} (Meta did not answer) whose text
     * and time match the echo becomes {@code sent}: the echo proves it was sent.
     */
    static List<MessageChange> confirmUnanswered(Handle h, InboundEntry echo, String mid, long nowMillis) {
        long at = echo.eventAtMillis();
        return ChangedRows.of(h.createQuery("""
                        UPDATE message_log SET state = 'sent', meta_message_id = :mid, sent_at = :at, updated_at = :now
                        WHERE id = (SELECT id FROM message_log
                                    WHERE line_id = :line AND direction = 'out' AND origin = 'api' AND peer_id = :peer
                                      AND state IN ('unknown', 'accepted') AND mtype = 'text' AND mdata = :text
                                      AND created_at BETWEEN :from AND :to
                                    ORDER BY id LIMIT 1)
                        RETURNING id, account_id, line_id, peer_id""")
                .bind("line", echo.lineId()).bind("peer", echo.peerId()).bind("mid", mid).bind("text", echo.content())
                .bind("at", at).bind("now", nowMillis)
                .bind("from", at - ECHO_MATCH.toMillis()).bind("to", at + ECHO_MATCH.toMillis()),
                MessageChange.Kind.SENT, at);
    }

    /** Messenger delivery receipts: by message id (delivered at the event's time) and by watermark (at the watermark). */
    static List<MessageChange> delivered(Handle h, Receipt r, long nowMillis) {
        List<MessageChange> changes = new ArrayList<>();
        if (!r.mids().isEmpty()) {
            changes.addAll(ChangedRows.of(h.createQuery("""
                            UPDATE message_log SET state = CASE WHEN state = 'sent' THEN 'delivered' ELSE state END,
                                   delivered_at = COALESCE(delivered_at, :at), updated_at = :now
                            WHERE line_id = :line AND direction = 'out' AND meta_message_id IN (<mids>)
                              AND state IN ('sent', 'delivered', 'read') AND delivered_at IS NULL
                            RETURNING id, account_id, line_id, peer_id""")
                    .bind("line", r.lineId()).bindList("mids", r.mids()).bind("at", r.atMillis()).bind("now", nowMillis),
                    MessageChange.Kind.DELIVERED, r.atMillis()));
        }
        if (r.watermark().isPresent()) {
            changes.addAll(ChangedRows.of(h.createQuery("""
                            UPDATE message_log SET state = CASE WHEN state = 'sent' THEN 'delivered' ELSE state END,
                                   delivered_at = COALESCE(delivered_at, :at), updated_at = :now
                            WHERE line_id = :line AND direction = 'out' AND peer_id = :peer AND sent_at <= :at
                              AND state IN ('sent', 'delivered', 'read') AND delivered_at IS NULL
                            RETURNING id, account_id, line_id, peer_id""")
                    .bind("line", r.lineId()).bind("peer", r.peerId()).bind("at", r.watermark().get())
                    .bind("now", nowMillis), MessageChange.Kind.DELIVERED, r.atMillis()));
        }
        return changes;
    }

    /**
     * Read receipts: Instagram's seen receipt names a message, which and every earlier one to the same peer has been
     * read; Messenger's watermark covers every message to the peer sent at or before it.
     */
    static List<MessageChange> read(Handle h, Receipt r, long nowMillis) {
        List<MessageChange> changes = new ArrayList<>();
        for (String mid : r.mids()) {
            changes.addAll(ChangedRows.of(h.createQuery("""
                            UPDATE message_log SET state = 'read', read_at = COALESCE(read_at, :at),
                                   delivered_at = COALESCE(delivered_at, :at), updated_at = :now
                            WHERE line_id = :line AND direction = 'out' AND peer_id = :peer
                              AND state IN ('sent', 'delivered')
                              AND sent_at <= (SELECT MAX(sent_at) FROM message_log
                                              WHERE line_id = :line AND direction = 'out' AND meta_message_id = :mid)
                            RETURNING id, account_id, line_id, peer_id""")
                    .bind("line", r.lineId()).bind("peer", r.peerId()).bind("mid", mid).bind("at", r.atMillis())
                    .bind("now", nowMillis), MessageChange.Kind.READ, r.atMillis()));
        }
        if (r.watermark().isPresent()) {
            changes.addAll(ChangedRows.of(h.createQuery("""
                            UPDATE message_log SET state = 'read', read_at = COALESCE(read_at, :at),
                                   delivered_at = COALESCE(delivered_at, :at), updated_at = :now
                            WHERE line_id = :line AND direction = 'out' AND peer_id = :peer AND sent_at <= :watermark
                              AND state IN ('sent', 'delivered')
                            RETURNING id, account_id, line_id, peer_id""")
                    .bind("line", r.lineId()).bind("peer", r.peerId()).bind("watermark", r.watermark().get())
                    .bind("at", r.atMillis()).bind("now", nowMillis), MessageChange.Kind.READ, r.atMillis()));
        }
        return changes;
    }

    /** The new text replaces the old one if it is a later edit than the one logged. */
    static List<MessageChange> edit(Handle h, InboundEdit edit, long nowMillis) {
        return ChangedRows.of(h.createQuery("""
                        UPDATE message_log SET mdata = :text, edit_count = :edits, updated_at = :now
                        WHERE line_id = :line AND direction = 'in' AND meta_message_id = :mid AND edit_count < :edits
                        RETURNING id, account_id, line_id, peer_id""")
                .bind("line", edit.lineId()).bind("mid", edit.mid()).bind("text", edit.text())
                .bind("edits", edit.editCount()).bind("now", nowMillis), MessageChange.Kind.EDITED, edit.atMillis());
    }

    /** The row stays (nothing vanishes) and records when it was deleted. */
    static List<MessageChange> deleted(Handle h, long lineId, String mid, long atMillis, long nowMillis) {
        return ChangedRows.of(h.createQuery("""
                        UPDATE message_log SET deleted_at = :at, updated_at = :now
                        WHERE line_id = :line AND direction = 'in' AND meta_message_id = :mid AND deleted_at IS NULL
                        RETURNING id, account_id, line_id, peer_id""")
                .bind("line", lineId).bind("mid", mid).bind("at", atMillis).bind("now", nowMillis),
                MessageChange.Kind.DELETED, atMillis);
    }
}
