package linegate.store;

/**
 * The database cannot be reached or is refusing work right now (pool exhausted, connection refused, locked past the
 * busy timeout). Clients get 503 and may retry; nothing was half-done that they need to know about.
 */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
