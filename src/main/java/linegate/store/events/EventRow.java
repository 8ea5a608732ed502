package linegate.store.events;

import java.util.Objects;
import java.util.Optional;

/**
 * One row of {@code events} as the feed and the callbacks read it. Times are epoch millis.
 *
 * @param seq       the account's order of its events: strictly increasing, never reused
 * @param state     for message.status: the state the row moved to then (a later change is an event of its own)
 * @param delivery  {@code none}, {@code pending}, {@code delivered} or {@code dead}
 */
public record EventRow(long id, String eventId, long accountId, long seq, EventType type, Optional<Long> lineId,
                       Optional<String> peerId, Optional<Long> cdlsId, Optional<String> state, long occurredAt,
                       String delivery, long createdAt) {
    public EventRow {
        Objects.requireNonNull(eventId);
        Objects.requireNonNull(type);
        Objects.requireNonNull(delivery);
    }
}
