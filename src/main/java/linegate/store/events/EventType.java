package linegate.store.events;

import linegate.store.MessageChange;

import java.util.Optional;

/** The {@code type} of an event (docs/api.md, "Events"), as stored and as clients see it. */
public enum EventType {
    MESSAGE_RECEIVED("message.received"),
    MESSAGE_STATUS("message.status"),
    MESSAGE_ECHO("message.echo"),
    COMMENT_RECEIVED("comment.received"),
    LINE_STATUS("line.status"),
    WINDOW_CLOSING("conversation.window_closing");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static EventType fromDb(String value) {
        for (EventType t : values()) {
            if (t.wireName.equals(value)) {
                return t;
            }
        }
        throw new IllegalStateException("unknown event type in the events table: " + value);
    }

    /**
     * The event a message_log change becomes: a customer's message is received, a message typed in Meta's apps is an
     * echo, an outbound row's move to sent, failed, unknown, delivered or read is a status; a row accepted before the
     * Graph call or queued for a worker, and a customer's edit or deletion, are not events (docs/api.md's table has none for them).
     */
    public static Optional<EventType> of(MessageChange.Kind kind) {
        return switch (kind) {
            case RECEIVED -> Optional.of(MESSAGE_RECEIVED);
            case ECHO -> Optional.of(MESSAGE_ECHO);
            case SENT, FAILED, UNKNOWN, DELIVERED, READ -> Optional.of(MESSAGE_STATUS);
            case ACCEPTED, QUEUED, EDITED, DELETED -> Optional.empty();
        };
    }

    /** The state a message.status event reports for this change (the row's state after it). */
    static Optional<String> stateOf(MessageChange.Kind kind) {
        return switch (kind) {
            case SENT -> Optional.of("sent");
            case FAILED -> Optional.of("failed");
            case UNKNOWN -> Optional.of("unknown");
            case DELIVERED -> Optional.of("delivered");
            case READ -> Optional.of("read");
            default -> Optional.empty();
        };
    }
}
