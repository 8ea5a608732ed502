package linegate.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One row of the message log as read back (operators' {@code log list}, MessageStatus). Times are epoch millis. */
public record LogRow(
        long id,
        long accountId,
        long lineId,
        LineClass channel,
        String direction,
        String origin,
        String peerId,
        String mtype,
        String mdata,
        Optional<String> msgId,
        Optional<String> tag,
        Optional<String> metaMessageId,
        LogState state,
        Optional<LoggedError> error,
        long createdAt,
        long updatedAt,
        Optional<Long> sentAt,
        Optional<Long> deliveredAt,
        Optional<Long> readAt,
        Optional<Long> deletedAt,
        Optional<String> requestHash) {

    /**
     * The row in the shape clients and operators see (contract section 3a: MessageStatus's {@code message}), with
     * ISO-8601 UTC timestamps.
     */
    public Map<String, Object> asMessage() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cdls_id", id);
        m.put("msg_id", msgId.orElse(null));
        m.put("account_id", accountId);
        m.put("app_id", lineId);
        m.put("channel", channel.dbValue());
        m.put("direction", direction);
        m.put("origin", origin);
        m.put("dest", peerId);
        m.put("mtype", mtype);
        m.put("mdata", mdata);
        m.put("tag", tag.orElse(null));
        m.put("state", state.dbValue());
        m.put("messageId", metaMessageId.orElse(null));
        m.put("error", error.map(LogRow::errorMap).orElse(null));
        m.put("created_at", iso(createdAt));
        m.put("sent_at", sentAt.map(LogRow::iso).orElse(null));
        m.put("delivered_at", deliveredAt.map(LogRow::iso).orElse(null));
        m.put("read_at", readAt.map(LogRow::iso).orElse(null));
        m.put("deleted_at", deletedAt.map(LogRow::iso).orElse(null));
        return m;
    }

    private static Map<String, Object> errorMap(LoggedError e) {
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
