package linegate.store.events;

import java.util.Objects;
import java.util.Optional;

/**
 * One row of {@code events} as the feed and the callbacks read it. Times are epoch millis.
 *
 * @param seq       the account's order of its events: strictly increasing, never reused
 * @param state     for message.status: the state the row moved to then (a later change is an event of its own); for
 *                  line.status: the line's new health
 * @param delivery  {@code none}, {@code pending}, {@code delivered} or {@code dead}
 * @param notice    what an event without a message_log row reports (line.status, conversation.window_closing,
 *                  comment.received)
 */
public record EventRow(long id, String eventId, long accountId, long seq, EventType type, Optional<Long> lineId,
                       Optional<String> peerId, Optional<Long> cdlsId, Optional<String> state, long occurredAt,
                       String delivery, long createdAt, Notice notice) {
    public EventRow {
        Objects.requireNonNull(eventId);
        Objects.requireNonNull(type);
        Objects.requireNonNull(delivery);
        Objects.requireNonNull(notice);
    }

    /**
     * @param channel       the line's class, where the event has no message_log row to take it from
     * @param previousState line.status: the health before the change
     * @param reason        line.status: why, in Meta's words
     * @param expiresAt     conversation.window_closing: when the window closes (epoch ms)
     * @param detail        comment.received: Meta's change object, as it came
     */
    public record Notice(Optional<String> channel, Optional<String> previousState, Optional<String> reason,
                         Optional<Long> expiresAt, Optional<String> detail) {
        public static final Notice NONE = new Notice(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());

        public Notice {
            Objects.requireNonNull(channel);
            Objects.requireNonNull(previousState);
            Objects.requireNonNull(reason);
            Objects.requireNonNull(expiresAt);
            Objects.requireNonNull(detail);
        }

        /** A notice without a detail (every kind but comment.received). */
        public Notice(Optional<String> channel, Optional<String> previousState, Optional<String> reason,
                      Optional<Long> expiresAt) {
            this(channel, previousState, reason, expiresAt, Optional.empty());
        }
    }
}
