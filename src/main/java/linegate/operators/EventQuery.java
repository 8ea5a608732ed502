package linegate.operators;

import java.util.Objects;
import java.util.Optional;

/** Which events an operator asks for, as given: of one account, in one delivery state, of one type. */
public record EventQuery(Optional<Long> accountId, Optional<String> state, Optional<String> type) {
    public EventQuery {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(state);
        Objects.requireNonNull(type);
    }
}
