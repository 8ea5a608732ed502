package linegate.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The event object of docs/api.md, "Events", as the exact bytes a callback posts and its signature covers. */
public interface EventBodies {
    /** The body of the event in row {@code eventRowId} of the {@code events} table. */
    byte[] render(long eventRowId);

    /**
     * The bodies of these rows, by row id; a row that cannot be rendered (no longer kept, not serializable) is left
     * out. This default renders one by one; an implementation that can read the rows together overrides it.
     */
    default Map<Long, byte[]> renderAll(List<Long> eventRowIds) {
        Map<Long, byte[]> bodies = new LinkedHashMap<>();
        for (long id : eventRowIds) {
            try {
                bodies.put(id, render(id));
            } catch (RuntimeException e) {
                // left out: the caller treats a missing body as a failed attempt
            }
        }
        return bodies;
    }
}
