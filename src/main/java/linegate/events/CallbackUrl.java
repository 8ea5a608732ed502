package linegate.events;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A callback URL as the operator gave it: absolute {@code http} or {@code https}, with a host, without user info or a
 * fragment, at most {@link #MAX_LENGTH} characters. Where its host resolves is checked separately, by
 * {@link CallbackAddresses}, when it is set and again at every delivery.
 */
public record CallbackUrl(URI uri) {
    public static final int MAX_LENGTH = 2048;

    public static CallbackUrl parse(String raw) {
        if (raw.length() > MAX_LENGTH) {
            throw new RefusedCallbackUrlException("the callback URL is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(raw.strip());
        } catch (URISyntaxException e) {
            throw new RefusedCallbackUrlException("the callback URL is not a valid URL (" + e.getReason()
                    + "): give an absolute https:// URL such as https://crm.example.com/linegate");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new RefusedCallbackUrlException("the callback URL must start with https:// or http://,"
                    + " such as https://crm.example.com/linegate");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedCallbackUrlException("the callback URL must not carry a user name or password:"
                    + " callbacks are authenticated by their signature (Linegate-Signature)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new RefusedCallbackUrlException("the callback URL has no host name: give an absolute URL such as"
                    + " https://crm.example.com/linegate");
        }
        if (uri.getRawFragment() != null) {
            throw new RefusedCallbackUrlException("the callback URL must not have a #fragment: it is never sent");
        }
        return new CallbackUrl(uri);
    }

    /** The host without the brackets of an IPv6 literal. */
    public String host() {
        String h = uri.getHost();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
