package linegate.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * A comment on a line's post, in Linegate's words, read from one element of a delivery's {@code entry[].changes[]}
 * (kept as it came, so an event rendered later reads the same fields). Two shapes, both Meta's:
 * <ul>
 *   <li>Instagram, {@code field: comments}: {@code value} holds {@code id} (the comment), {@code from.id} (the
 *       author's IGSID) and {@code from.username}, {@code media.id} and {@code media.media_product_type},
 *       {@code parent_id} (a reply to another comment) and {@code text}. No time: the entry's {@code time} stands
 *       for it.</li>
 *   <li>a Page, {@code field: feed} with {@code item: comment}: {@code comment_id}, {@code post_id},
 *       {@code parent_id} (the post, or the comment replied to), {@code from.id} and {@code from.name},
 *       {@code message}, {@code created_time} (seconds) and {@code verb} ({@code add}, {@code edited},
 *       {@code remove}, …).</li>
 * </ul>
 *
 * @param postId           the Instagram media or the Page post commented on
 * @param parentId         the comment (or, on a Page, the post) this one answers; empty for Instagram's top level
 * @param authorName       Instagram's {@code username}, or a Page comment's {@code from.name}
 * @param mediaProductType Instagram only: where the media is shown ({@code FEED}, {@code REELS}, {@code AD}, …)
 * @param verb             a Page comment's {@code verb}; Instagram's comments field reports new comments only:
 *                         {@code add}
 * @param createdAt        epoch ms: a Page comment's {@code created_time}; empty on Instagram
 * @see <a href="https://developers.facebook.com/docs/instagram-platform/webhooks/examples">examples</a>
 * @see <a href="https://developers.facebook.com/docs/graph-api/webhooks/reference/instagram">reference: instagram</a>
 * @see <a href="https://developers.facebook.com/docs/graph-api/webhooks/reference/page">reference: page, feed</a>
 */
public record CommentDetails(String commentId, Optional<String> postId, Optional<String> parentId, String authorId,
                             Optional<String> authorUsername, Optional<String> authorName, Optional<String> text,
                             Optional<String> mediaProductType, String verb, Optional<Long> createdAt) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The {@code field} of Instagram's comment changes, and of a Page's feed changes. */
    public static final String INSTAGRAM_FIELD = "comments";
    public static final String PAGE_FIELD = "feed";
    /** The verb of a new comment. */
    public static final String ADD = "add";

    public CommentDetails {
        Objects.requireNonNull(commentId);
        Objects.requireNonNull(postId);
        Objects.requireNonNull(parentId);
        Objects.requireNonNull(authorId);
        Objects.requireNonNull(authorUsername);
        Objects.requireNonNull(authorName);
        Objects.requireNonNull(text);
        Objects.requireNonNull(mediaProductType);
        Objects.requireNonNull(verb);
        Objects.requireNonNull(createdAt);
        if (commentId.isEmpty() || authorId.isEmpty()) {
            throw new IllegalArgumentException("a comment has an id and an author");
        }
    }

    /**
     * The comment a change reports: Instagram's {@code comments}, or a Page's {@code feed} change whose {@code item}
     * is {@code comment}. Empty for any other change, and for one without a comment id or an author (nothing a
     * private reply could answer).
     */
    public static Optional<CommentDetails> of(JsonNode change) {
        String field = change.path("field").asText("");
        JsonNode v = change.path("value");
        if (!v.isObject()) {
            return Optional.empty();
        }
        String author = id(v.path("from").path("id"));
        if (field.equals(INSTAGRAM_FIELD)) {
            String id = id(v.path("id"));
            if (id.isEmpty() || author.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new CommentDetails(id, optionalId(v.path("media").path("id")),
                    optionalId(v.path("parent_id")), author, text(v.path("from").path("username")), Optional.empty(),
                    text(v.path("text")), text(v.path("media").path("media_product_type")), ADD, Optional.empty()));
        }
        if (field.equals(PAGE_FIELD) && "comment".equals(v.path("item").asText(""))) {
            String id = id(v.path("comment_id"));
            if (id.isEmpty() || author.isEmpty()) {
                return Optional.empty();
            }
            Optional<Long> created = v.has("created_time") && WebhookParser.millis(v.path("created_time")) > 0
                    ? Optional.of(WebhookParser.millis(v.path("created_time"))) : Optional.empty();
            return Optional.of(new CommentDetails(id, optionalId(v.path("post_id")), optionalId(v.path("parent_id")),
                    author, Optional.empty(), text(v.path("from").path("name")), text(v.path("message")),
                    Optional.empty(), v.path("verb").asText(""), created));
        }
        return Optional.empty();
    }

    /** The comment of a change as stored ({@link WebhookEvent.Comment#json}); empty when it is not one. */
    public static Optional<CommentDetails> of(String changeJson) {
        try {
            JsonNode change = JSON.readTree(changeJson);
            return change == null || !change.isObject() ? Optional.empty() : of(change);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String id(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return "";
        }
        return node.isNumber() ? node.bigIntegerValue().toString() : node.asText("");
    }

    private static Optional<String> optionalId(JsonNode node) {
        return Optional.of(id(node)).filter(s -> !s.isEmpty());
    }

    private static Optional<String> text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? Optional.of(node.asText()) : Optional.empty();
    }
}
