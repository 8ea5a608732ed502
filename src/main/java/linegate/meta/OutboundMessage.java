package linegate.meta;

import java.util.Objects;

/**
 * One message to send, in Linegate's words: a recipient (IGSID or PSID), a kind, the text or media URL, and whether it
 * goes with the HUMAN_AGENT tag. Holds no token.
 */
public record OutboundMessage(String recipientId, Kind kind, String content, boolean humanAgentTag) {
    /** What {@code message} carries: text, or an attachment fetched by Meta from a URL. */
    public enum Kind {
        TEXT, IMAGE, AUDIO, VIDEO, FILE;

        String attachmentType() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public OutboundMessage {
        Objects.requireNonNull(recipientId);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(content);
    }
}
