package linegate.send;

import linegate.meta.OutboundMessage.Kind;
import linegate.store.LineClass;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * What differs between the send endpoints, as data: the line class a request must resolve to, how a missing line is
 * worded, which mtypes exist, and how text length is measured. The pipeline ({@link MessageSender}) has no channel
 * branches of its own.
 */
public record ChannelRules(
        LineClass lineClass,
        String lineNotFoundText,
        Set<Kind> kinds,
        int textLimit,
        String textLimitUnit,
        ToIntFunction<String> textLength) {

    /** Instagram Direct: "Message text must be UTF-8 and be a 1000 bytes or less" (Meta, Instagram messaging API). */
    public static final ChannelRules INSTAGRAM = new ChannelRules(
            LineClass.INSTAGRAM,
            "Instagram line not found",
            Set.of(Kind.TEXT, Kind.IMAGE, Kind.AUDIO, Kind.VIDEO),
            1000,
            "UTF-8 bytes",
            text -> text.getBytes(StandardCharsets.UTF_8).length);

    /** Messenger: text "must be UTF-8 and less than 2000 characters" (Meta, Send API reference); files allowed. */
    public static final ChannelRules MESSENGER = new ChannelRules(
            LineClass.MESSENGER,
            "Messenger line not found",
            Set.of(Kind.TEXT, Kind.IMAGE, Kind.AUDIO, Kind.VIDEO, Kind.FILE),
            2000,
            "characters",
            text -> text.codePointCount(0, text.length()));

    public String channelName() {
        return lineClass.dbValue();
    }
}
