package linegate.operators;

import java.util.Objects;
import java.util.Optional;

/**
 * An operator's change to an account; each present field is applied. {@code callbackUrl} present and empty removes
 * the URL and its secrets; {@code rotateSecret} makes a new signing secret (the old one still signs for 24 hours).
 */
public record AccountChange(Optional<String> name, Optional<String> callbackUrl, boolean rotateSecret) {
    public AccountChange {
        Objects.requireNonNull(name);
        Objects.requireNonNull(callbackUrl);
    }

    boolean isEmpty() {
        return name.isEmpty() && callbackUrl.isEmpty() && !rotateSecret;
    }
}
