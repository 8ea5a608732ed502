package linegate.operators;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an account update did: the account as it now is, and the signing secret when one was made (a first callback
 * URL, or a rotation), shown here once and never again; after a rotation, until when the previous secret still signs.
 */
public record AccountUpdate(AccountView account, Optional<String> callbackSecret,
                            Optional<Long> previousValidUntilMillis) {
    /** The admin API's answer: the account, and the secret fields when there are any. */
    public Map<String, Object> fields() {
        Map<String, Object> m = account.fields();
        secretFields(m);
        return m;
    }

    /** The command line's answer (docs/api.md, "Callbacks"): the id, the URL, and the secret fields. */
    public Map<String, Object> commandFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", account.id());
        m.put("callback_url", account.callbackUrl().orElse(null));
        secretFields(m);
        return m;
    }

    private void secretFields(Map<String, Object> m) {
        callbackSecret.ifPresent(s -> m.put("callback_secret", s));
        previousValidUntilMillis.ifPresent(t -> m.put("previous_secret_valid_until",
                Instant.ofEpochMilli(t).toString()));
    }

    @Override
    public String toString() {
        return "AccountUpdate[" + account + ", callbackSecret=" + (callbackSecret.isPresent() ? "[REDACTED]" : "none")
                + "]";
    }
}
