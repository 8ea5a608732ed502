package linegate.store;

import java.util.Locale;

/**
 * The state of a message-log row. Outbound: {@code queued} (a queued send waiting for a worker), {@code accepted}
 * (written, or claimed by a worker, before the Graph call) then exactly one of
 * {@code sent}, {@code failed}, {@code unknown} (no answer from Meta: it may have been delivered); webhooks later move
 * sent rows to {@code delivered} and {@code read}. Inbound (from webhooks): {@code received}.
 */
public enum LogState {
    QUEUED, ACCEPTED, SENT, FAILED, UNKNOWN, DELIVERED, READ, RECEIVED;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LogState fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
