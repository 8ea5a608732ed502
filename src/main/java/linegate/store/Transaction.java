package linegate.store;

import org.jdbi.v3.core.Handle;

import java.util.Objects;

/**
 * An open database transaction, handed out by the store so that code outside it can ask other store methods to write
 * in the same transaction (see {@link ChangeRecorder}) without seeing Jdbi. Valid only during the call it is given to.
 */
public final class Transaction {
    private final Handle handle;

    Transaction(Handle handle) {
        this.handle = Objects.requireNonNull(handle);
    }

    /**
     * The transaction's handle, for the table owners in store's sub-packages ({@code store.events}) to write in it;
     * nothing outside {@code store} may import Jdbi (ArchitectureTest).
     */
    public Handle handle() {
        return handle;
    }
}
