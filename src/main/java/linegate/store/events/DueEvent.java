package linegate.store.events;

/** An event claimed for delivery by this node: its row id, ids, and how often it was tried before. */
public record DueEvent(long id, String eventId, long accountId, long seq, int attempts, long occurredAtMillis) {
}
