package linegate.events;

import linegate.meta.CommentDetails;
import linegate.meta.InboundDetails;
import linegate.send.MessageView;
import linegate.store.Conversations;
import linegate.store.LogRow;
import linegate.store.events.EventRow;
import linegate.store.events.EventType;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The event object of docs/api.md ("Events"), built at read time from the event row and its message_log row, fields in
 * the documented order, so the feed and the callbacks send the same bytes. {@code message} is MessageStatus's object,
 * except that a message.status event keeps the state it reported (the row may have moved on since); a customer's
 * message also carries what Meta sent with it. A line.status event carries {@code line}, a
 * conversation.window_closing event {@code conversation} and a comment.received event {@code comment} instead of
 * {@code message}.
 */
public final class EventRendering {
    /** ISO-8601 UTC, always with milliseconds (Instant.toString drops them when they are zero). */
    private static final DateTimeFormatter OCCURRED_AT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private EventRendering() {
    }

    public static Map<String, Object> render(EventRow event, Optional<LogRow> row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_id", event.eventId());
        m.put("seq", event.seq());
        m.put("type", event.type().wireName());
        m.put("occurred_at", iso(event.occurredAt()));
        m.put("account_id", event.accountId());
        m.put("app_id", event.lineId().orElse(null));
        m.put("channel", row.map(r -> r.channel().dbValue()).or(() -> event.notice().channel()).orElse(null));
        switch (event.type()) {
            case LINE_STATUS -> m.put("line", line(event));
            case WINDOW_CLOSING -> m.put("conversation", conversation(event));
            case COMMENT_RECEIVED -> m.put("comment", comment(event));
            default -> m.put("message", row.map(r -> message(event, r)).orElse(null));
        }
        return m;
    }

    private static Map<String, Object> line(EventRow event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app_id", event.lineId().orElse(null));
        m.put("health", event.state().orElse(null));
        m.put("previous_health", event.notice().previousState().orElse(null));
        m.put("reason", event.notice().reason().orElse(null));
        return m;
    }

    private static Map<String, Object> conversation(EventRow event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app_id", event.lineId().orElse(null));
        m.put("dest", event.peerId().orElse(null));
        Optional<Long> expiresAt = event.notice().expiresAt();
        m.put("last_inbound_at", expiresAt.map(at -> iso(at - Conversations.STANDARD_WINDOW.toMillis())).orElse(null));
        m.put("expires_at", expiresAt.map(EventRendering::iso).orElse(null));
        return m;
    }

    /**
     * The comment as Meta reported it (docs/api.md, "Events"): {@code comment_id} is what a private reply sends as
     * {@code comment_id}; {@code from.id} is the author's id (on Instagram the IGSID), {@code from.username}
     * Instagram's and {@code from.name} a Page's; {@code created_at} is the event's time.
     */
    private static Map<String, Object> comment(EventRow event) {
        Optional<CommentDetails> found = event.notice().detail().flatMap(CommentDetails::of);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app_id", event.lineId().orElse(null));
        m.put("comment_id", found.map(CommentDetails::commentId).orElse(null));
        m.put("post_id", found.flatMap(CommentDetails::postId).orElse(null));
        m.put("parent_id", found.flatMap(CommentDetails::parentId).orElse(null));
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("id", found.map(CommentDetails::authorId).or(event::peerId).orElse(null));
        from.put("username", found.flatMap(CommentDetails::authorUsername).orElse(null));
        from.put("name", found.flatMap(CommentDetails::authorName).orElse(null));
        m.put("from", from);
        m.put("text", found.flatMap(CommentDetails::text).orElse(null));
        m.put("media_product_type", found.flatMap(CommentDetails::mediaProductType).orElse(null));
        m.put("created_at", iso(event.occurredAt()));
        return m;
    }

    private static String iso(long epochMillis) {
        return OCCURRED_AT.format(Instant.ofEpochMilli(epochMillis));
    }

    private static Map<String, Object> message(EventRow event, LogRow row) {
        Map<String, Object> m = new LinkedHashMap<>(MessageView.of(row).fields());
        if (event.type() == EventType.MESSAGE_STATUS) {
            event.state().ifPresent(state -> m.put("state", state));
        }
        if (event.type() == EventType.MESSAGE_RECEIVED) {
            InboundDetails d = row.eventJson().map(InboundDetails::of).orElse(InboundDetails.NONE);
            m.put("text", d.text().orElse(null));
            m.put("attachments", attachments(d.attachments()));
            m.put("quick_reply_payload", d.quickReplyPayload().orElse(null));
            m.put("postback_payload", d.postbackPayload().orElse(null));
            m.put("reply_to", d.replyTo().orElse(null));
            m.put("referral", d.referral().orElse(null));
        }
        return m;
    }

    private static List<Map<String, Object>> attachments(List<InboundDetails.Attachment> attachments) {
        return attachments.stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", a.type());
            m.put("url", a.url().orElse(null));
            return m;
        }).toList();
    }
}
