package linegate.meta;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Meta's wire format for the Send API, package-private: nothing outside {@code meta} sees Graph JSON.
 *
 * @see <a href="https://developers.facebook.com/docs/messenger-platform/reference/send-api">Send API reference</a>
 */
final class GraphWire {
    private GraphWire() {
    }

    /**
     * Several images go as {@code message.attachments}, one as {@code message.attachment}. Meta's pages disagree on one
     * image: the Instagram Login page's sample writes {@code "attachments": {…}} (an object), while the Messenger
     * Platform's Instagram page and both of Meta's Postman collections write {@code "attachment"}; Linegate follows the
     * majority (docs/meta-facts.md; facts §2.4,
     * https://developers.facebook.com/docs/messenger-platform/instagram/features/send-message). Change it here.
     */
    static final String ONE_ATTACHMENT = "attachment";
    static final String SEVERAL_ATTACHMENTS = "attachments";

    /**
     * The request body of one call: {@code recipient}; then a {@code message} with {@code messaging_type} (RESPONSE,
     * or MESSAGE_TAG with the HUMAN_AGENT tag) and a top-level {@code reply_to}, or a {@code sender_action} (reactions
     * with their {@code payload}, typing, seen), which Meta's samples send without a messaging type.
     *
     * @see <a href="https://developers.facebook.com/docs/messenger-platform/reference/send-api">Send API reference</a>
     * @see <a href="https://developers.facebook.com/docs/messenger-platform/instagram/features/send-message">Instagram
     * messaging: reactions, replies, several images</a>
     */
    static ObjectNode sendBody(OutboundMessage m) {
        return sendBody(m, GraphEndpoint.Host.FACEBOOK);
    }

    /**
     * Whether a message to graph.instagram.com (Instagram Login) carries {@code messaging_type}. Meta's Instagram
     * Login pages send text, media, quick replies and templates without it, and HUMAN_AGENT as {@code "tag"} alone
     * (facts §2.3; https://developers.facebook.com/documentation/instagram-platform/instagram-api-with-instagram-login/messaging-api
     * and its quick-replies and generic-template pages); the Send API reference on graph.facebook.com requires it.
     * Linegate follows each host's own pages. Meta is known to accept the field on Instagram too (chatwoot sends it),
     * so setting this true is the easy way back if Meta ever asks for it.
     */
    static final boolean MESSAGING_TYPE_ON_INSTAGRAM_LOGIN = false;

    /** As {@link #sendBody(OutboundMessage)}, in the dialect of the host it goes to. */
    static ObjectNode sendBody(OutboundMessage m, GraphEndpoint.Host host) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("recipient").put(m.recipient().comment() ? "comment_id" : "id", m.recipient().id());
        switch (m.body()) {
            case OutboundMessage.Reaction r -> {
                body.put("sender_action", r.reaction().isPresent() ? "react" : "unreact");
                ObjectNode payload = body.putObject("payload").put("message_id", r.messageId());
                r.reaction().ifPresent(reaction -> payload.put("reaction", reaction));
                return body;
            }
            case OutboundMessage.Action a -> {
                body.put("sender_action", a.action());
                return body;
            }
            default -> {
            }
        }
        if (host == GraphEndpoint.Host.FACEBOOK || MESSAGING_TYPE_ON_INSTAGRAM_LOGIN) {
            body.put("messaging_type", m.humanAgentTag() ? "MESSAGE_TAG" : "RESPONSE");
        }
        message(body.putObject("message"), m.body());
        if (m.humanAgentTag()) {
            body.put("tag", "HUMAN_AGENT");
        }
        m.replyTo().ifPresent(mid -> body.putObject("reply_to").put("mid", mid));
        return body;
    }

    private static void message(ObjectNode message, OutboundMessage.Body body) {
        switch (body) {
            case OutboundMessage.Text t -> {
                message.put("text", t.text());
                if (!t.quickReplies().isEmpty()) {
                    ArrayNode replies = message.putArray("quick_replies");
                    t.quickReplies().forEach(q -> replies.addObject().put("content_type", "text")
                            .put("title", q.title()).put("payload", q.payload()));
                }
            }
            case OutboundMessage.Media media -> attachment(message.putObject(ONE_ATTACHMENT), media.kind().attachmentType(),
                    media.url());
            case OutboundMessage.Images images -> {
                ArrayNode attachments = message.putArray(SEVERAL_ATTACHMENTS);
                images.urls().forEach(url -> attachment(attachments.addObject(), "image", url));
            }
            case OutboundMessage.Generic generic -> {
                ObjectNode payload = message.putObject(ONE_ATTACHMENT).put("type", "template").putObject("payload")
                        .put("template_type", "generic");
                ArrayNode elements = payload.putArray("elements");
                generic.elements().forEach(e -> element(elements.addObject(), e));
            }
            case OutboundMessage.Reaction r -> throw new IllegalArgumentException("a reaction is a sender action");
            case OutboundMessage.Action a -> throw new IllegalArgumentException("a sender action has no message");
        }
    }

    private static void attachment(ObjectNode attachment, String type, String url) {
        attachment.put("type", type).putObject("payload").put("url", url);
    }

    private static void element(ObjectNode node, OutboundMessage.Element e) {
        node.put("title", e.title());
        e.subtitle().ifPresent(s -> node.put("subtitle", s));
        e.imageUrl().ifPresent(u -> node.put("image_url", u));
        e.defaultAction().ifPresent(a -> {
            ObjectNode action = node.putObject("default_action").put("type", "web_url").put("url", a.url());
            a.webviewHeightRatio().ifPresent(h -> action.put("webview_height_ratio", h));
        });
        if (!e.buttons().isEmpty()) {
            ArrayNode buttons = node.putArray("buttons");
            for (OutboundMessage.Button b : e.buttons()) {
                ObjectNode button = buttons.addObject();
                switch (b.type()) {
                    case WEB_URL -> button.put("type", "web_url").put("url", b.value()).put("title", b.title());
                    case POSTBACK -> button.put("type", "postback").put("title", b.title()).put("payload", b.value());
                }
            }
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SendAnswer(@JsonProperty("recipient_id") String recipientId, @JsonProperty("message_id") String messageId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorAnswer(ErrorBody error) {
    }

    /** {@code GET /me?fields=id}: {@code {"id": "…"}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MeAnswer(String id) {
    }

    /**
     * {@code GET /refresh_access_token}: {@code {"access_token", "token_type": "bearer", "expires_in": seconds}}
     * (https://developers.facebook.com/documentation/instagram-platform/reference/refresh_access_token).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RefreshAnswer(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
                         @JsonProperty("expires_in") Long expiresIn) {
        @Override
        public String toString() {
            return "RefreshAnswer[token REDACTED]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorBody(String message, String type, Integer code,
                     @JsonProperty("error_subcode") Integer errorSubcode,
                     @JsonProperty("fbtrace_id") String fbtraceId,
                     @JsonProperty("is_transient") Boolean isTransient) {
    }
}
