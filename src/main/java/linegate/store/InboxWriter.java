package linegate.store;

/**
 * How webhook deliveries reach {@link WebhookInbox}: one transaction each ({@link WebhookInbox} itself), or many
 * deliveries' inserts in one group-commit transaction ({@link BatchingMessageLogWriter#deliveries()}).
 */
@FunctionalInterface
public interface InboxWriter {
    /**
     * Stores a delivery and returns its id only once it is durable (committed), so Meta is never answered 200 for a
     * delivery a crash could take back.
     *
     * @throws StoreUnavailableException when it could not be stored; nothing of it was written
     */
    long append(byte[] body, long receivedAtMillis);
}
