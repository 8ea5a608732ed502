package linegate.operators;

import linegate.store.operators.AdminTokens;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static linegate.operators.StoreRefusals.translated;

/** Admin tokens ({@code lga_…}) for {@code /admin/v1} and the console: made, listed, revoked on the command line. */
public final class AdminTokenOperations {
    /** A token just made: {@code {"id","token"}}, the only time the token is shown. */
    public record Created(long id, String token) {
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("token", token);
            return m;
        }

        @Override
        public String toString() {
            return "Created[id=" + id + ", token=[REDACTED]]";
        }
    }

    /** An admin token as listed: {@code id, label, created_at, last_used_at, revoked}; never the token. */
    public record View(AdminTokens.AdminToken token) {
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", token.id());
            m.put("label", token.label());
            m.put("created_at", Instant.ofEpochMilli(token.createdAtMillis()).toString());
            m.put("last_used_at", token.lastUsedAtMillis().map(t -> Instant.ofEpochMilli(t).toString()).orElse(null));
            m.put("revoked", token.revoked());
            return m;
        }
    }

    private final AdminTokens tokens;

    AdminTokenOperations(AdminTokens tokens) {
        this.tokens = tokens;
    }

    public Created create(String label) {
        AdminTokens.Created created = tokens.create(Checks.name("label", label));
        return new Created(created.id(), created.token());
    }

    public List<View> list() {
        return tokens.list().stream().map(View::new).toList();
    }

    /** Revokes the token and ends its console sessions; twice is no error. */
    public View revoke(long id) {
        return new View(translated(() -> tokens.revoke(id)));
    }
}
