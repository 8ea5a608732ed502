package linegate.store.events;

import java.util.Objects;
import java.util.Optional;

/**
 * Where an account's events go and the secrets that sign them: the current one, and the previous one while it is still
 * valid after a rotation. {@code toString()} never shows a secret.
 */
public record CallbackTarget(long accountId, String url, String secret, Optional<String> previousSecret) {
    public CallbackTarget {
        Objects.requireNonNull(url);
        Objects.requireNonNull(secret);
        Objects.requireNonNull(previousSecret);
    }

    @Override
    public String toString() {
        return "CallbackTarget[accountId=" + accountId + ", url=" + url + ", secret=[REDACTED], previousSecret="
                + previousSecret.map(s -> "[REDACTED]").orElse("none") + "]";
    }
}
