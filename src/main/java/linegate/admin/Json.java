package linegate.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.store.Line;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The operator's JSON: one object per line of output, field order fixed, tokens masked. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(Map<String, ?> object) {
        try {
            return MAPPER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> line(Line l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id());
        m.put("account_id", l.accountId());
        m.put("class", l.lineClass().dbValue());
        m.put("login", l.login().dbValue());
        m.put("active", l.active());
        m.put("page_id", l.pageId().orElse(null));
        m.put("ig_account_id", l.igAccountId().orElse(null));
        m.put("page_token", l.pageTokenUnreadable() ? "unreadable" : l.pageToken().map(t -> t.masked()).orElse(null));
        m.put("human_agent", l.humanAgent());
        m.put("sends_per_second", l.sendsPerSecond().isPresent() ? (Object) l.sendsPerSecond().getAsInt() : "default");
        m.put("health", l.health().dbValue());
        m.put("health_reason", l.healthReason().orElse(null));
        m.put("token_expires_at", l.tokenExpiresAtMillis().map(t -> Instant.ofEpochMilli(t).toString()).orElse(null));
        m.put("created_at", Instant.ofEpochMilli(l.createdAtMillis()).toString());
        m.put("updated_at", Instant.ofEpochMilli(l.updatedAtMillis()).toString());
        return m;
    }
}
