package linegate.channel;

import linegate.meta.OutboundMessage.Kind;

import java.util.Objects;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * What a send on a channel may carry, as data: which kinds exist, how text length is measured and limited, how many
 * images one message may carry, and how a missing line is worded (230's status text differs per endpoint). The checks
 * themselves are the same for every channel.
 */
public record SendRules(
        String channelName,
        String lineNotFoundText,
        Set<Kind> kinds,
        int textLimit,
        String textLimitUnit,
        ToIntFunction<String> textLength,
        int maxImages) {

    public SendRules {
        Objects.requireNonNull(channelName);
        Objects.requireNonNull(lineNotFoundText);
        kinds = Set.copyOf(kinds);
        if (!kinds.contains(Kind.TEXT)) {
            throw new IllegalArgumentException("every channel sends text");
        }
        if (textLimit <= 0) {
            throw new IllegalArgumentException("textLimit must be positive");
        }
        Objects.requireNonNull(textLimitUnit);
        Objects.requireNonNull(textLength);
        if (maxImages < 1) {
            throw new IllegalArgumentException("maxImages must be at least 1");
        }
    }
}
