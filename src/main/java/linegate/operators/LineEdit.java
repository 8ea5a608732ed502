package linegate.operators;

import java.util.Objects;
import java.util.Optional;

/**
 * A change to a line, as an operator gives it, before any check; each present field is applied.
 * {@code sendsPerSecond} is a number or {@code default} (back to LINEGATE_LINE_SENDS_PER_SECOND).
 */
public record LineEdit(Optional<String> pageToken, Optional<Boolean> active, Optional<Boolean> humanAgent,
                       Optional<String> sendsPerSecond, Optional<String> igAccountId, Optional<String> pageId) {
    public LineEdit {
        Objects.requireNonNull(pageToken);
        Objects.requireNonNull(active);
        Objects.requireNonNull(humanAgent);
        Objects.requireNonNull(sendsPerSecond);
        Objects.requireNonNull(igAccountId);
        Objects.requireNonNull(pageId);
    }

    boolean isEmpty() {
        return pageToken.isEmpty() && active.isEmpty() && humanAgent.isEmpty() && sendsPerSecond.isEmpty()
                && igAccountId.isEmpty() && pageId.isEmpty();
    }

    @Override
    public String toString() {
        return "LineEdit[pageToken=" + (pageToken.isPresent() ? "[REDACTED]" : "unchanged") + ", active=" + active + "]";
    }
}
