package linegate.events;

/** The event object of docs/api.md, "Events", as the exact bytes a callback posts and its signature covers. */
public interface EventBodies {
    /** The body of the event in row {@code eventRowId} of the {@code events} table. */
    byte[] render(long eventRowId);
}
