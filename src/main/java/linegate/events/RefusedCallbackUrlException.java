package linegate.events;

/** A callback URL that may not be used; the message says why and how to fix it, without echoing the URL. */
public final class RefusedCallbackUrlException extends IllegalArgumentException {
    public RefusedCallbackUrlException(String message) {
        super(message);
    }
}
