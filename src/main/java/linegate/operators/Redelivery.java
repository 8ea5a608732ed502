package linegate.operators;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which events to send again: the account's delivered and dead events (all, or those that occurred at or after
 * {@code since}, an ISO-8601 instant), or the events named by their event_id (of any accounts).
 */
public record Redelivery(Optional<Long> accountId, Optional<String> since, List<String> eventIds) {
    public Redelivery {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(since);
        eventIds = List.copyOf(eventIds);
    }
}
