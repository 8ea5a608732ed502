package linegate.meta;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What Meta sent with a customer's message, read from the webhook event a row was logged from (one element of
 * {@code entry[].messaging[]}, as stored): the text, the attachments' types and URLs, a quick reply's and a
 * postback's payload, the {@code mid} replied to, and a referral (an ad, a link, a shop: Meta's object as sent).
 *
 * @see <a href="https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages">messages</a>
 * @see <a href="https://developers.facebook.com/docs/instagram-platform/webhooks/examples">Instagram webhook examples</a>
 */
public record InboundDetails(Optional<String> text, List<Attachment> attachments, Optional<String> quickReplyPayload,
                             Optional<String> postbackPayload, Optional<String> replyTo,
                             Optional<Map<String, Object>> referral) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    public static final InboundDetails NONE = new InboundDetails(Optional.empty(), List.of(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    public InboundDetails {
        attachments = List.copyOf(attachments);
    }

    /** One attachment: Meta's {@code type} and its {@code payload.url} (none for kinds without one). */
    public record Attachment(String type, Optional<String> url) {
        public Attachment {
            Objects.requireNonNull(type);
        }
    }

    /** The details of a stored messaging event; an event that is not JSON (or not an object) has none. */
    public static InboundDetails of(String eventJson) {
        JsonNode m;
        try {
            m = JSON.readTree(eventJson);
        } catch (IOException e) {
            return NONE;
        }
        if (m == null || !m.isObject()) {
            return NONE;
        }
        JsonNode message = m.path("message");
        JsonNode postback = m.path("postback");
        return new InboundDetails(
                text(message.path("text")),
                attachments(message.path("attachments")),
                text(message.path("quick_reply").path("payload")),
                text(postback.path("payload")),
                text(message.path("reply_to").path("mid")),
                referral(m.path("referral"))
                        .or(() -> referral(message.path("referral")))
                        .or(() -> referral(postback.path("referral"))));
    }

    private static List<Attachment> attachments(JsonNode node) {
        List<Attachment> out = new ArrayList<>();
        // Meta sends an array; some Instagram payloads carry a single object
        for (JsonNode a : node.isArray() ? node : node.isObject() ? List.of(node) : List.<JsonNode>of()) {
            out.add(new Attachment(a.path("type").asText("attachment"), text(a.path("payload").path("url"))));
        }
        return out;
    }

    private static Optional<Map<String, Object>> referral(JsonNode node) {
        return node.isObject() ? Optional.of(JSON.convertValue(node, OBJECT)) : Optional.empty();
    }

    private static Optional<String> text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? Optional.of(node.asText()) : Optional.empty();
    }
}
