package linegate.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.store.MessageLog;
import linegate.store.events.EventRow;
import linegate.store.events.Outbox;

/**
 * A callback's body: the event object of docs/api.md, "Events", rendered as the feed renders it
 * ({@link EventRendering}) and serialized the same way, so a client sees the same JSON in both.
 */
public final class RenderedEventBodies implements EventBodies {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Outbox outbox;
    private final MessageLog log;

    public RenderedEventBodies(Outbox outbox, MessageLog log) {
        this.outbox = outbox;
        this.log = log;
    }

    @Override
    public byte[] render(long eventRowId) {
        EventRow event = outbox.find(eventRowId)
                .orElseThrow(() -> new IllegalStateException("event row " + eventRowId + " is no longer kept"));
        try {
            return JSON.writeValueAsBytes(EventRendering.render(event, event.cdlsId().flatMap(log::find)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event row " + eventRowId + " could not be serialized", e);
        }
    }
}
