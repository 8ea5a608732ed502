package linegate.meta;

import java.net.URI;
import java.util.Objects;

/**
 * The base URLs of Meta's two Graph hosts (facts §1): graph.facebook.com for Page tokens (Messenger, and Instagram
 * through a Page), graph.instagram.com for Instagram User tokens (Instagram Login: "All endpoints can be accessed via
 * the graph.instagram.com host"). Configurable, so tests and stand-ins can take Meta's place.
 */
public record GraphHosts(URI facebook, URI instagram) {
    public static final URI META_FACEBOOK = URI.create("https://graph.facebook.com");
    public static final URI META_INSTAGRAM = URI.create("https://graph.instagram.com");

    public GraphHosts {
        Objects.requireNonNull(facebook);
        Objects.requireNonNull(instagram);
    }

    /** The host's base URL, without a trailing slash. */
    public String base(GraphEndpoint.Host host) {
        URI uri = switch (host) {
            case FACEBOOK -> facebook;
            case INSTAGRAM -> instagram;
        };
        return uri.toString().replaceAll("/+$", "");
    }

    /** Plain http is a local stand-in, spoken to in HTTP/1.1 (no h2c); https negotiates by ALPN. */
    boolean plainHttp(GraphEndpoint.Host host) {
        return base(host).startsWith("http:");
    }
}
