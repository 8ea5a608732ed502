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

    Handle handle() {
        return handle;
    }
}
