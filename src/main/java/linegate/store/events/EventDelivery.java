package linegate.store.events;

import java.util.Optional;

/**
 * One event's delivery state, for operators ({@code linegate events list}, the admin API): which event, of which line
 * and message-log row, and how its callback went.
 */
public record EventDelivery(long id, String eventId, long accountId, long seq, String type, Optional<Long> lineId,
                            Optional<Long> cdlsId, long occurredAtMillis, String delivery, int attempts,
                            long nextAttemptAtMillis, Optional<String> lastError, Optional<Long> deliveredAtMillis) {
}
