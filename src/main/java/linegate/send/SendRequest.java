package linegate.send;

import linegate.meta.OutboundMessage.Kind;

import java.util.Objects;
import java.util.Optional;

/**
 * A send request that passed every parameter check (210 to 231, 296): a positive line id, a digits-only recipient, a
 * kind the channel has, content within the channel's limits. {@code async}: queue it and answer 207 instead of waiting
 * for Meta (docs/api.md, "Queued sends").
 */
public record SendRequest(long lineId, String dest, Kind kind, String content, Optional<String> msgId, boolean humanAgent,
                          boolean async) {
    /** The one tag a send may carry (Meta's HUMAN_AGENT: a person replies within 7 days). */
    public static final String HUMAN_AGENT = "HUMAN_AGENT";

    /** A direct send: the client waits for Meta's answer. */
    public SendRequest(long lineId, String dest, Kind kind, String content, Optional<String> msgId, boolean humanAgent) {
        this(lineId, dest, kind, content, msgId, humanAgent, false);
    }

    public SendRequest {
        if (lineId <= 0) {
            throw new IllegalArgumentException("lineId must be positive");
        }
        Objects.requireNonNull(dest);
        if (!dest.matches("[0-9]{1,64}")) {
            throw new IllegalArgumentException("dest must be 1 to 64 digits");
        }
        Objects.requireNonNull(kind);
        Objects.requireNonNull(content);
        Objects.requireNonNull(msgId);
    }

    public String mtype() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The tag as logged. */
    public Optional<String> tag() {
        return humanAgent ? Optional.of(HUMAN_AGENT) : Optional.empty();
    }
}
