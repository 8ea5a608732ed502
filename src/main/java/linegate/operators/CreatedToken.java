package linegate.operators;

import java.util.LinkedHashMap;
import java.util.Map;

/** A token just made: {@code {"id","tsid"}} for an account's API token, the only time the token is shown. */
public record CreatedToken(long id, String tsid) {
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("tsid", tsid);
        return m;
    }

    @Override
    public String toString() {
        return "CreatedToken[id=" + id + ", tsid=[REDACTED]]";
    }
}
