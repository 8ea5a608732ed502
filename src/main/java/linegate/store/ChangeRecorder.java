package linegate.store;

import java.util.List;

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

    /**
     * Records several changes of one transaction, in their order, as {@link #record} one by one would; a recorder may
     * do it in fewer statements (the outbox raises each account's seq once). When it throws, the caller cannot tell
     * which change it refused: the group-commit writer then runs the batch again with {@link #record} per write, so
     * that only the refused write fails.
     */
    default void recordAll(Transaction tx, List<MessageChange> changes) {
        for (MessageChange change : changes) {
            record(tx, change);
        }
    }
}
