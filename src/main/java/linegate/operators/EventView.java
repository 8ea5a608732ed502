package linegate.operators;

import linegate.store.events.EventDelivery;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event's delivery, for operators: which event (its {@code event_id}, as callbacks and the feed carry it), of
 * which account, line ({@code app_id}) and message ({@code cdls_id}), and how its callback went ({@code delivery}:
 * {@code none} (no callback URL when it was written), {@code pending}, {@code delivered}, {@code dead}).
 */
public record EventView(EventDelivery event) {
    public long id() {
        return event.id();
    }

    /** The admin API's event. */
    public Map<String, Object> fields() {
        Map<String, Object> m = commandFields();
        Map<String, Object> withIds = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            withIds.put(k, v);
            if (k.equals("type")) {
                withIds.put("app_id", event.lineId().orElse(null));
                withIds.put("cdls_id", event.cdlsId().orElse(null));
            }
        });
        return withIds;
    }

    /** The command line's event ({@code linegate events list}). */
    public Map<String, Object> commandFields() {
        EventDelivery e = event;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_id", e.eventId());
        m.put("account_id", e.accountId());
        m.put("seq", e.seq());
        m.put("type", e.type());
        m.put("occurred_at", Instant.ofEpochMilli(e.occurredAtMillis()).toString());
        m.put("delivery", e.delivery());
        m.put("attempts", e.attempts());
        m.put("next_attempt_at", e.delivery().equals("pending")
                ? Instant.ofEpochMilli(e.nextAttemptAtMillis()).toString() : null);
        m.put("last_error", e.lastError().orElse(null));
        m.put("delivered_at", e.deliveredAtMillis().map(t -> Instant.ofEpochMilli(t).toString()).orElse(null));
        return m;
    }
}
