package linegate.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import linegate.channel.SendRules;
import linegate.meta.OutboundMessage;
import linegate.meta.OutboundMessage.Body;
import linegate.meta.OutboundMessage.Kind;
import linegate.meta.OutboundMessage.QuickReply;
import linegate.send.SendRequest.SendOptions;
import linegate.store.LogRow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A send as the message log holds it, and back: {@code mtype} and {@code mdata} as the client sent them (several
 * images: their URLs as a JSON array; a template: its elements), and in {@code options} what else it carries, as a
 * JSON object of {@code quick_replies}, {@code reply_to}, {@code recipient: "comment_id"} and {@code agent: "human"}
 * (absent when none). A queue worker rebuilds the request from the row with the same checks a client's request got.
 */
final class LoggedSends {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoggedSends() {
    }

    /** The row's {@code options}: empty for a send of the seed's parameters alone. */
    static Optional<String> options(SendRequest request) {
        ObjectNode o = JSON.createObjectNode();
        if (request.body() instanceof OutboundMessage.Text t && !t.quickReplies().isEmpty()) {
            o.set("quick_replies", read(MessageParts.quickRepliesJson(t.quickReplies())));
        }
        request.options().replyTo().ifPresent(mid -> o.put("reply_to", mid));
        if (request.options().toComment()) {
            o.put("recipient", "comment_id");
        }
        if (request.options().humanAuthor()) {
            o.put("agent", "human");
        }
        return o.isEmpty() ? Optional.empty() : Optional.of(o.toString());
    }

    /** The request a queued row was written from; its checks are the client's, with the channel's limits. */
    static SendRequest request(LogRow row, SendRules rules) {
        Kind kind = Kind.valueOf(row.mtype().toUpperCase(Locale.ROOT));
        JsonNode options = row.options().map(LoggedSends::read).orElse(JSON.createObjectNode());
        Optional<String> replyTo = Optional.ofNullable(options.path("reply_to").textValue());
        SendOptions sendOptions = new SendOptions(replyTo, "comment_id".equals(options.path("recipient").textValue()),
                "human".equals(options.path("agent").textValue()));
        List<QuickReply> quickReplies = options.has("quick_replies")
                ? MessageParts.quickReplies(options.get("quick_replies").toString()) : List.of();
        String mdata = row.mdata();
        Body body = switch (kind) {
            case TEXT -> new OutboundMessage.Text(mdata, quickReplies);
            case IMAGE -> mdata.startsWith("[")
                    ? new OutboundMessage.Images(MessageParts.images(mdata, rules.maxImages(), rules.channelName()))
                    : new OutboundMessage.Media(kind, mdata);
            case AUDIO, VIDEO, FILE -> new OutboundMessage.Media(kind, mdata);
            case TEMPLATE -> new OutboundMessage.Generic(MessageParts.elements(mdata));
            case REACTION -> new OutboundMessage.Reaction(replyTo.orElseThrow(
                    () -> new IllegalStateException("row " + row.id() + ": a reaction without the mid it reacts to")),
                    MessageParts.reaction(mdata));
        };
        return new SendRequest(row.lineId(), row.peerId(), kind, mdata, body, row.msgId(), row.tag().isPresent(), true,
                sendOptions);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored send's options are not JSON", e);
        }
    }
}
