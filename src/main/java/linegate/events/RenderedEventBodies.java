package linegate.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import linegate.store.LogRow;
import linegate.store.MessageLog;
import linegate.store.events.EventRow;
import linegate.store.events.Outbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A callback's body: the event object of docs/api.md, "Events", rendered as the feed renders it
 * ({@link EventRendering}) and serialized the same way, so a client sees the same JSON in both.
 */
public final class RenderedEventBodies implements EventBodies {
    /**
     * Characters outside the Basic Multilingual Plane (emoji) are written as UTF-8, as the feed writes them; Jackson's
     * byte output would otherwise escape them as surrogate pairs ({@code \uD83D\uDC99}).
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
    private final Outbox outbox;
    private final MessageLog log;

    public RenderedEventBodies(Outbox outbox, MessageLog log) {
        this.outbox = outbox;
        this.log = log;
    }

    /** Two queries for all of them: their event rows, then their messages. */
    @Override
    public Map<Long, byte[]> renderAll(List<Long> eventRowIds) {
        Map<Long, EventRow> events = outbox.findAll(eventRowIds);
        Map<Long, LogRow> messages = log.findAll(events.values().stream().flatMap(e -> e.cdlsId().stream())
                .distinct().toList());
        Map<Long, byte[]> bodies = new LinkedHashMap<>();
        for (EventRow event : events.values()) {
            try {
                bodies.put(event.id(), JSON.writeValueAsBytes(EventRendering.render(event,
                        event.cdlsId().map(messages::get))));
            } catch (JsonProcessingException e) {
                // left out: its attempt fails, and is tried again
            }
        }
        return bodies;
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
