package linegate.store;

/**
 * Told of every change {@link MessageLog} makes, inside the transaction that makes it: what it writes through
 * {@code tx} (store methods that take a {@link Transaction}) commits or rolls back with the change, and a recorder
 * that throws rolls the change back and fails the write. It runs while the transaction holds its locks (with group
 * commit, a whole batch's), so it does database work only: no network, no waiting.
 */
@FunctionalInterface
public interface ChangeRecorder {
    /** Records nothing: the message log alone. */
    ChangeRecorder NONE = (tx, change) -> { };

    void record(Transaction tx, MessageChange change);
}
