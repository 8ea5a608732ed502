package linegate.store;

/** A row the caller named does not exist (an operator's command with a wrong id). */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
