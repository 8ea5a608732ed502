package linegate.send;

import linegate.store.LogRow;
import linegate.store.LoggedError;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message as clients and operators see it: MessageStatus's {@code message} object (docs/api.md) and one line of the
 * operator's {@code log list}, the same JSON for both. Its fields keep the documented order; timestamps are ISO-8601 UTC;
 * absent values are JSON null.
 */
public record MessageView(Map<String, Object> fields) {
    /** {@code fields} in order, as given; values may be null (a JSON null). */
    public MessageView {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static MessageView of(LogRow row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cdls_id", row.id());
        m.put("msg_id", row.msgId().orElse(null));
        m.put("account_id", row.accountId());
        m.put("app_id", row.lineId());
        m.put("channel", row.channel().dbValue());
        m.put("direction", row.direction());
        m.put("origin", row.origin());
        m.put("dest", row.peerId());
        m.put("mtype", row.mtype());
        m.put("mdata", row.mdata());
        m.put("tag", row.tag().orElse(null));
        m.put("state", row.state().dbValue());
        m.put("messageId", row.metaMessageId().orElse(null));
        m.put("error", row.error().map(MessageView::error).orElse(null));
        m.put("created_at", iso(row.createdAt()));
        m.put("sent_at", row.sentAt().map(MessageView::iso).orElse(null));
        m.put("delivered_at", row.deliveredAt().map(MessageView::iso).orElse(null));
        m.put("read_at", row.readAt().map(MessageView::iso).orElse(null));
        m.put("deleted_at", row.deletedAt().map(MessageView::iso).orElse(null));
        // a queued send's Graph calls so far; a direct send makes one and has no such field
        row.attempts().ifPresent(n -> m.put("attempts", n));
        return new MessageView(m);
    }

    private static Map<String, Object> error(LoggedError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status_code", e.statusCode());
        m.put("status", e.status());
        if (e.detail() != null) {
            m.put("detail", e.detail());
        }
        if (e.hasMetaError()) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("code", e.metaCode());
            meta.put("subcode", e.metaSubcode());
            meta.put("type", e.metaType());
            meta.put("message", e.metaMessage());
            meta.put("fbtrace_id", e.fbtraceId());
            m.put("meta_error", meta);
        } else {
            m.put("meta_error", null);
        }
        return m;
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
