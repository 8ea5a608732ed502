package linegate.store;

import java.util.Objects;
import java.util.Optional;

/** An operator's change to a line: each field, when present, replaces the stored value. */
public record LineChanges(Optional<PageAccessToken> pageToken, Optional<Boolean> active, Optional<Boolean> humanAgent) {
    public LineChanges {
        Objects.requireNonNull(pageToken);
        Objects.requireNonNull(active);
        Objects.requireNonNull(humanAgent);
    }

    public boolean isEmpty() {
        return pageToken.isEmpty() && active.isEmpty() && humanAgent.isEmpty();
    }
}
