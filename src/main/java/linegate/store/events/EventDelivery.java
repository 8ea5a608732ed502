package linegate.store.events;

import java.util.Optional;

/** One event's delivery state, for the operator's {@code linegate events list}. */
public record EventDelivery(String eventId, long accountId, long seq, String type, long occurredAtMillis,
                            String delivery, int attempts, long nextAttemptAtMillis, Optional<String> lastError,
                            Optional<Long> deliveredAtMillis) {
}
