package linegate.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Which message-log rows an operator asks for ({@link MessageLog#page}): each present field must match;
 * {@code sinceMillis} is inclusive, {@code untilMillis} exclusive (both on {@code created_at}); {@code peerId} is the
 * customer's id ({@code dest}).
 */
public record LogFilter(Optional<Long> accountId, Optional<Long> lineId, Optional<LogState> state,
                        Optional<String> direction, Optional<String> peerId, Optional<String> msgId,
                        Optional<Long> sinceMillis, Optional<Long> untilMillis) {
    public LogFilter {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(lineId);
        Objects.requireNonNull(state);
        Objects.requireNonNull(direction);
        Objects.requireNonNull(peerId);
        Objects.requireNonNull(msgId);
        Objects.requireNonNull(sinceMillis);
        Objects.requireNonNull(untilMillis);
        direction.ifPresent(d -> {
            if (!d.equals("in") && !d.equals("out")) {
                throw new IllegalArgumentException("direction is in or out");
            }
        });
    }

    public static LogFilter none() {
        return new LogFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
