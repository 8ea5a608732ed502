package linegate.operators;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An account as operators see it (contract §12): {@code id, name, callback_url, created_at}, and how many of its
 * events are dead (failed every callback attempt; see {@code events/redeliver}). Never its callback secrets.
 */
public record AccountView(long id, String name, Optional<String> callbackUrl, long createdAtMillis, long deadEvents) {
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("callback_url", callbackUrl.orElse(null));
        m.put("created_at", Instant.ofEpochMilli(createdAtMillis).toString());
        m.put("dead_events", deadEvents);
        return m;
    }
}
