package linegate.send;

import linegate.meta.OutboundMessage;
import linegate.meta.OutboundMessage.Body;
import linegate.meta.OutboundMessage.Kind;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A send request that passed every parameter check (210 to 239, 296): a positive line id, a digits-only recipient (a
 * comment id for a private reply), a kind the channel has, content within the channel's and Meta's limits.
 * {@code content} is the log's {@code mdata}: the text, the URL, several images' or a template's elements as JSON, or
 * the reaction; {@code body} is what Meta receives of it. {@code humanAgent}: {@code tag=HUMAN_AGENT} was given.
 * {@code async}: queue it and answer 207 instead of waiting for Meta (docs/api.md, "Queued sends").
 */
public record SendRequest(long lineId, String dest, Kind kind, String content, Body body, Optional<String> msgId,
                          boolean humanAgent, boolean async, SendOptions options) {
    /** The one tag a send may carry (Meta's HUMAN_AGENT: a person replies within 7 days). */
    public static final String HUMAN_AGENT = "HUMAN_AGENT";

    /**
     * What a send carries besides its content: the {@code mid} it replies to ({@code reply_to}; for a reaction, the
     * message reacted to), whether {@code dest} is a comment to reply to privately ({@code comment_id}), and whether a
     * person wrote it ({@code agent=human}), which decides the HUMAN_AGENT tag at send time.
     */
    public record SendOptions(Optional<String> replyTo, boolean toComment, boolean humanAuthor) {
        public static final SendOptions NONE = new SendOptions(Optional.empty(), false, false);

        public SendOptions {
            Objects.requireNonNull(replyTo);
        }
    }

    /** A direct send of the seed's kinds: text or one media URL, to a customer. */
    public SendRequest(long lineId, String dest, Kind kind, String content, Optional<String> msgId, boolean humanAgent) {
        this(lineId, dest, kind, content, msgId, humanAgent, false);
    }

    /** The seed's kinds: text or one media URL, to a customer. */
    public SendRequest(long lineId, String dest, Kind kind, String content, Optional<String> msgId, boolean humanAgent,
                       boolean async) {
        this(lineId, dest, kind, content, kind == Kind.TEXT ? new OutboundMessage.Text(content, List.of())
                : new OutboundMessage.Media(kind, content), msgId, humanAgent, async, SendOptions.NONE);
    }

    public SendRequest {
        if (lineId <= 0) {
            throw new IllegalArgumentException("lineId must be positive");
        }
        Objects.requireNonNull(dest);
        Objects.requireNonNull(options);
        if (options.toComment() ? !dest.matches("[0-9]{1,64}(_[0-9]{1,64})?") : !dest.matches("[0-9]{1,64}")) {
            throw new IllegalArgumentException("dest must be 1 to 64 digits (a comment id: digits, or two parts of digits"
                    + " joined by _)");
        }
        Objects.requireNonNull(kind);
        Objects.requireNonNull(content);
        Objects.requireNonNull(body);
        Objects.requireNonNull(msgId);
        boolean fits = switch (body) {
            case OutboundMessage.Text t -> kind == Kind.TEXT;
            case OutboundMessage.Media m -> kind == m.kind();
            case OutboundMessage.Images i -> kind == Kind.IMAGE;
            case OutboundMessage.Generic g -> kind == Kind.TEMPLATE;
            case OutboundMessage.Reaction r -> kind == Kind.REACTION;
            case OutboundMessage.Action a -> false;
        };
        if (!fits) {
            throw new IllegalArgumentException("a " + kind + " send cannot carry a " + body.getClass().getSimpleName());
        }
    }

    public String mtype() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The tag as given (and as fingerprinted); the tag a send goes with is decided at send time ({@link SendChecks}). */
    public Optional<String> tag() {
        return humanAgent ? Optional.of(HUMAN_AGENT) : Optional.empty();
    }

    /** The Graph call, with the HUMAN_AGENT tag or without. */
    public OutboundMessage message(boolean humanAgentTag) {
        OutboundMessage.Recipient recipient = options.toComment() ? OutboundMessage.Recipient.comment(dest)
                : OutboundMessage.Recipient.user(dest);
        Optional<String> replyTo = kind == Kind.REACTION ? Optional.empty() : options.replyTo();
        return new OutboundMessage(recipient, body, replyTo, humanAgentTag);
    }
}
