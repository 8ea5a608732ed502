package linegate.meta;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Send API call, in Linegate's words: who receives it (a customer's IGSID or PSID, or a comment for a private
 * reply), what it carries, the message it replies to, and whether it goes with the HUMAN_AGENT tag. Holds no token.
 * Every value arrives checked against Meta's limits (send's checks); the records only refuse what would make no call.
 */
public record OutboundMessage(Recipient recipient, Body body, Optional<String> replyTo, boolean humanAgentTag) {
    /** The kinds a send may be ({@code mtype}); which a channel has is its {@code SendRules}'. */
    public enum Kind {
        TEXT, IMAGE, AUDIO, VIDEO, FILE, TEMPLATE, REACTION;

        String attachmentType() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code recipient.id} (a customer), or {@code recipient.comment_id} (a private reply to that comment). */
    public record Recipient(String id, boolean comment) {
        public Recipient {
            Objects.requireNonNull(id);
        }

        public static Recipient user(String id) {
            return new Recipient(id, false);
        }

        public static Recipient comment(String commentId) {
            return new Recipient(commentId, true);
        }
    }

    /** What the call carries. */
    public sealed interface Body {
        /** Whether Meta's success answer carries a {@code message_id}: not for sender actions (reactions, typing). */
        default boolean answersWithMessageId() {
            return true;
        }
    }

    /** {@code message.text}, with its quick replies (none: no {@code quick_replies}). */
    public record Text(String text, List<QuickReply> quickReplies) implements Body {
        public Text {
            Objects.requireNonNull(text);
            quickReplies = List.copyOf(quickReplies);
        }
    }

    /** {@code message.attachment} of type image, audio, video or file, fetched by Meta from {@code url}. */
    public record Media(Kind kind, String url) implements Body {
        public Media {
            if (kind != Kind.IMAGE && kind != Kind.AUDIO && kind != Kind.VIDEO && kind != Kind.FILE) {
                throw new IllegalArgumentException("media is an image, audio, video or file, not " + kind);
            }
            Objects.requireNonNull(url);
        }
    }

    /** Several images in one message: {@code message.attachments}. */
    public record Images(List<String> urls) implements Body {
        public Images {
            urls = List.copyOf(urls);
            if (urls.size() < 2) {
                throw new IllegalArgumentException("several images are at least two; one is a Media");
            }
        }
    }

    /** A generic template of one or more elements. */
    public record Generic(List<Element> elements) implements Body {
        public Generic {
            elements = List.copyOf(elements);
            if (elements.isEmpty()) {
                throw new IllegalArgumentException("a generic template has at least one element");
            }
        }
    }

    /** A reaction to the message {@code messageId}; an empty {@code reaction} removes it (unreact). */
    public record Reaction(String messageId, Optional<String> reaction) implements Body {
        public Reaction {
            Objects.requireNonNull(messageId);
            Objects.requireNonNull(reaction);
        }

        @Override
        public boolean answersWithMessageId() {
            return false;
        }
    }

    /** A sender action alone: {@code typing_on}, {@code typing_off} or {@code mark_seen}. */
    public record Action(String action) implements Body {
        public Action {
            if (!List.of("typing_on", "typing_off", "mark_seen").contains(action)) {
                throw new IllegalArgumentException("a sender action is typing_on, typing_off or mark_seen");
            }
        }

        @Override
        public boolean answersWithMessageId() {
            return false;
        }
    }

    /** A quick reply of type text: what the button shows, and what comes back in the webhook when it is tapped. */
    public record QuickReply(String title, String payload) {
        public QuickReply {
            Objects.requireNonNull(title);
            Objects.requireNonNull(payload);
        }
    }

    /** One element of a generic template; {@code defaultAction}: what tapping the element opens. */
    public record Element(String title, Optional<String> subtitle, Optional<String> imageUrl,
                          Optional<DefaultAction> defaultAction, List<Button> buttons) {
        public Element {
            Objects.requireNonNull(title);
            Objects.requireNonNull(subtitle);
            Objects.requireNonNull(imageUrl);
            Objects.requireNonNull(defaultAction);
            buttons = List.copyOf(buttons);
        }
    }

    /** A web_url default action; {@code webviewHeightRatio} ({@code compact}, {@code tall}, {@code full}) is Messenger's. */
    public record DefaultAction(String url, Optional<String> webviewHeightRatio) {
        public DefaultAction {
            Objects.requireNonNull(url);
            Objects.requireNonNull(webviewHeightRatio);
        }
    }

    /** A template button: {@code web_url} opens {@code value} (a URL); {@code postback} sends {@code value} back. */
    public record Button(ButtonType type, String title, String value) {
        public enum ButtonType { WEB_URL, POSTBACK }

        public Button {
            Objects.requireNonNull(type);
            Objects.requireNonNull(title);
            Objects.requireNonNull(value);
        }
    }

    public OutboundMessage {
        Objects.requireNonNull(recipient);
        Objects.requireNonNull(body);
        Objects.requireNonNull(replyTo);
    }

    /** The recipient's id: the customer's, or the comment's for a private reply. */
    public String recipientId() {
        return recipient.id();
    }

    /** The seed's message: text, or one media URL, to a customer. */
    public OutboundMessage(String recipientId, Kind kind, String content, boolean humanAgentTag) {
        this(Recipient.user(recipientId), kind == Kind.TEXT ? new Text(content, List.of()) : new Media(kind, content),
                Optional.empty(), humanAgentTag);
    }
}
