package linegate.meta;

/**
 * The names of Meta's webhook subscription handshake: Meta calls the callback URL with {@code GET ?hub.mode=subscribe
 * &hub.verify_token=T&hub.challenge=C} and expects exactly C back as text when T is the token the app was given.
 *
 * @see <a href="https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests">Verification requests</a>
 */
public final class WebhookHandshake {
    /** The query parameter that says what Meta asks; {@link #SUBSCRIBE} is the only mode Meta sends. */
    public static final String MODE = "hub.mode";
    public static final String SUBSCRIBE = "subscribe";
    /** The query parameter with the verify token configured in the Meta app. */
    public static final String VERIFY_TOKEN = "hub.verify_token";
    /** The query parameter whose value the answer must be, byte for byte. */
    public static final String CHALLENGE = "hub.challenge";

    private WebhookHandshake() {
    }
}
