package linegate.meta;

import java.util.Objects;

/**
 * Where a send goes: a Graph host and the node whose {@code /messages} edge takes the message. {@code me} is the owner
 * of the access token (the Page, for Page tokens); an Instagram Login line names its Instagram account id on
 * graph.instagram.com, as Meta's Instagram Login pages do ({@code POST /<IG_ID>/messages}, facts §1).
 */
public record GraphEndpoint(Host host, String node) {
    /** The Graph hosts Linegate calls, each with its base URL from the configuration. */
    public enum Host { FACEBOOK, INSTAGRAM }

    /** {@code graph.facebook.com/{version}/me/messages}: the Page whose access token sends. */
    public static final GraphEndpoint PAGE_TOKEN_OWNER = new GraphEndpoint(Host.FACEBOOK, "me");

    /** {@code graph.instagram.com/{version}/{igAccountId}/messages}: an Instagram Login line's account. */
    public static GraphEndpoint instagramAccount(String igAccountId) {
        return new GraphEndpoint(Host.INSTAGRAM, igAccountId);
    }

    public GraphEndpoint {
        Objects.requireNonNull(host);
        Objects.requireNonNull(node);
        if (!node.equals("me") && !node.matches("[0-9]{1,32}")) {
            throw new IllegalArgumentException("a Graph node is 'me' or a numeric id");
        }
    }
}
