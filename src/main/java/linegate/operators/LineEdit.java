package linegate.operators;

import java.util.Objects;
import java.util.Optional;

/**
 * A change to a line, as an operator gives it, before any check; each present field is applied.
 * {@code sendsPerSecond} is a number or {@code default} (back to LINEGATE_LINE_SENDS_PER_SECOND); {@code pausedUntil}
 * an ISO-8601 instant (the line sends nothing to Meta until then) or empty (resume now).
 */
public record LineEdit(Optional<String> pageToken, Optional<Boolean> active, Optional<Boolean> humanAgent,
                       Optional<String> sendsPerSecond, Optional<String> igAccountId, Optional<String> pageId,
                       Optional<Optional<String>> pausedUntil) {
    public LineEdit {
        Objects.requireNonNull(pageToken);
        Objects.requireNonNull(active);
        Objects.requireNonNull(humanAgent);
        Objects.requireNonNull(sendsPerSecond);
        Objects.requireNonNull(igAccountId);
        Objects.requireNonNull(pageId);
        Objects.requireNonNull(pausedUntil);
    }

    boolean isEmpty() {
        return !changesTheLine() && pausedUntil.isEmpty();
    }

    /** Whether anything but the pause changes. */
    boolean changesTheLine() {
        return pageToken.isPresent() || active.isPresent() || humanAgent.isPresent() || sendsPerSecond.isPresent()
                || igAccountId.isPresent() || pageId.isPresent();
    }

    @Override
    public String toString() {
        return "LineEdit[pageToken=" + (pageToken.isPresent() ? "[REDACTED]" : "unchanged") + ", active=" + active
                + "]";
    }
}
