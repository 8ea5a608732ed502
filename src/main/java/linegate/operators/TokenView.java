package linegate.operators;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An account's API token as listed (contract §12): {@code id, label, created_at, last_used_at, revoked}. Never the
 * token: only its hash is stored.
 */
public record TokenView(long id, long accountId, Optional<String> label, long createdAtMillis,
                        Optional<Long> lastUsedAtMillis, boolean revoked) {
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("label", label.orElse(null));
        m.put("created_at", Instant.ofEpochMilli(createdAtMillis).toString());
        m.put("last_used_at", lastUsedAtMillis.map(t -> Instant.ofEpochMilli(t).toString()).orElse(null));
        m.put("revoked", revoked);
        return m;
    }
}
