package linegate.store;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An operator's change to a line: each field, when present, replaces the stored value. {@code sendsPerSecond} present
 * and empty puts the line back on the default budget ({@code LINEGATE_LINE_SENDS_PER_SECOND}).
 */
public record LineChanges(Optional<PageAccessToken> pageToken, Optional<Boolean> active, Optional<Boolean> humanAgent,
                          Optional<OptionalInt> sendsPerSecond) {
    public LineChanges {
        Objects.requireNonNull(pageToken);
        Objects.requireNonNull(active);
        Objects.requireNonNull(humanAgent);
        Objects.requireNonNull(sendsPerSecond);
        sendsPerSecond.ifPresent(rate -> {
            if (rate.isPresent() && rate.getAsInt() < 1) {
                throw new IllegalArgumentException("a line's sends per second are at least 1, got " + rate.getAsInt());
            }
        });
    }

    /** A change that leaves the line's budget as it is. */
    public LineChanges(Optional<PageAccessToken> pageToken, Optional<Boolean> active, Optional<Boolean> humanAgent) {
        this(pageToken, active, humanAgent, Optional.empty());
    }

    public boolean isEmpty() {
        return pageToken.isEmpty() && active.isEmpty() && humanAgent.isEmpty() && sendsPerSecond.isEmpty();
    }
}
