package linegate.operators;

import java.util.Objects;
import java.util.Optional;

/**
 * Which messages an operator asks for, as given (the command line's options, the admin API's query), before any
 * check: {@code since} and {@code until} are ISO-8601 instants (since inclusive, until exclusive); {@code dest} is the
 * customer's id.
 */
public record MessageQuery(Optional<Long> accountId, Optional<Long> lineId, Optional<String> state,
                           Optional<String> direction, Optional<String> dest, Optional<String> msgId,
                           Optional<String> since, Optional<String> until) {
    public MessageQuery {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(lineId);
        Objects.requireNonNull(state);
        Objects.requireNonNull(direction);
        Objects.requireNonNull(dest);
        Objects.requireNonNull(msgId);
        Objects.requireNonNull(since);
        Objects.requireNonNull(until);
    }

    public static MessageQuery all() {
        return new MessageQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
