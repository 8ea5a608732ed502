package linegate.http;

import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;
import linegate.channel.SendRules;
import linegate.meta.OutboundMessage;
import linegate.meta.OutboundMessage.Body;
import linegate.meta.OutboundMessage.Kind;
import linegate.meta.OutboundMessage.QuickReply;
import linegate.send.MessageParts;
import linegate.send.SendRequest;
import linegate.send.SendRequest.SendOptions;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads and checks a send request's parameters in the documented order (docs/status-codes.md, "The order of the
 * checks": 210/211, 220/221, 225, 226, the content's 227/228/237/239, then 232 quick_replies, 238 reply_to, 229
 * msg_id, 231 tag and agent, 296 async); the first failing check answers. JSON-valued parameters (several images, a
 * template's elements, quick_replies) are a JSON value in JSON bodies and a JSON string elsewhere ({@link Params#json}).
 */
final class SendRequestReader {
    static final int MAX_URL = MessageParts.MAX_URL;
    static final int MAX_MSG_ID = 128;
    static final int MAX_DEST = 64;
    /** Instagram comment ids are digits; a Page's are the post's and the comment's digits joined by {@code _}. */
    static final String COMMENT_ID = "[0-9]{1," + MAX_DEST + "}(_[0-9]{1," + MAX_DEST + "})?";

    private SendRequestReader() {
    }

    static SendRequest read(Params p, SendRules channel) {
        long lineId = lineId(p);
        boolean toComment = !p.present("dest") && p.present("comment_id");
        String dest = toComment ? commentId(p) : dest(p);
        if (!p.present("mdata")) {
            throw ApiException.of(StatusCode.NO_MDATA, "give the text, or for media the URL, in mdata");
        }
        Kind kind = kind(p, channel);
        if (toComment && kind == Kind.REACTION) {
            throw ApiException.of(StatusCode.INVALID_DEST, "a reaction is to a message in a conversation: give dest,"
                    + " not comment_id");
        }
        Optional<String> replyTo = replyTo(p, kind);
        Content content = content(p, kind, channel, replyTo);
        Body body = content.body();
        if (p.present("quick_replies")) {
            if (!(body instanceof OutboundMessage.Text text)) {
                throw ApiException.of(StatusCode.INVALID_QUICK_REPLIES, "quick_replies go with a text message only"
                        + " (mtype=text)");
            }
            List<QuickReply> replies = MessageParts.quickReplies(p.json("quick_replies").orElseThrow());
            body = new OutboundMessage.Text(text.text(), replies);
        }
        Optional<String> msgId = msgId(p);
        boolean humanAgent = tag(p);
        boolean humanAuthor = agent(p);
        return new SendRequest(lineId, dest, kind, content.mdata(), body, msgId, humanAgent, async(p),
                new SendOptions(replyTo, toComment, humanAuthor));
    }

    /** What the log stores as mdata, and what Meta receives of it. */
    private record Content(String mdata, Body body) {
    }

    private static Content content(Params p, Kind kind, SendRules channel, Optional<String> replyTo) {
        return switch (kind) {
            case TEXT -> {
                String text = scalarMdata(p);
                int length = channel.textLength().applyAsInt(text);
                if (length > channel.textLimit()) {
                    throw ApiException.of(StatusCode.MESSAGE_TOO_LONG, "the text is " + length + " "
                            + channel.textLimitUnit() + "; " + channel.channelName() + " allows at most "
                            + channel.textLimit());
                }
                yield new Content(text, new OutboundMessage.Text(text, List.of()));
            }
            case IMAGE -> {
                String json = p.json("mdata").orElse("");
                if (!p.structured("mdata") && !json.strip().startsWith("[")) {
                    String url = MessageParts.mediaUrl(json, "mdata");
                    yield new Content(url, new OutboundMessage.Media(kind, url));
                }
                List<String> urls = MessageParts.images(json, channel.maxImages(), channel.channelName());
                // one image in an array is one image: the single attachment Meta documents for it
                yield urls.size() == 1 ? new Content(urls.getFirst(), new OutboundMessage.Media(kind, urls.getFirst()))
                        : new Content(MessageParts.imagesJson(urls), new OutboundMessage.Images(urls));
            }
            case AUDIO, VIDEO, FILE -> {
                String url = MessageParts.mediaUrl(scalarMdata(p), "mdata");
                yield new Content(url, new OutboundMessage.Media(kind, url));
            }
            case TEMPLATE -> {
                List<OutboundMessage.Element> elements = MessageParts.elements(p.json("mdata").orElseThrow());
                yield new Content(MessageParts.elementsJson(elements), new OutboundMessage.Generic(elements));
            }
            case REACTION -> {
                Optional<String> reaction = MessageParts.reaction(scalarMdata(p));
                yield new Content(reaction.orElse(MessageParts.UNREACT),
                        new OutboundMessage.Reaction(replyTo.orElseThrow(), reaction));
            }
        };
    }

    private static String scalarMdata(Params p) {
        return p.text("mdata").orElseThrow(() -> ApiException.of(StatusCode.NO_MDATA,
                "mdata must be a string, not a JSON object or array"));
    }

    static long lineId(Params p) {
        String name = p.present("app_id") ? "app_id" : "v8l_id";
        if (!p.present(name)) {
            throw ApiException.of(StatusCode.NO_APP_ID, "give the line id in app_id");
        }
        String raw = p.text(name).map(String::strip).orElse("");
        if (!raw.matches("[0-9]{1,18}")) {
            throw ApiException.of(StatusCode.INVALID_APP_ID, name + " must be a positive integer");
        }
        long id = Long.parseLong(raw);
        if (id <= 0) {
            throw ApiException.of(StatusCode.INVALID_APP_ID, name + " must be a positive integer");
        }
        return id;
    }

    static String dest(Params p) {
        if (!p.present("dest")) {
            throw ApiException.of(StatusCode.NO_DEST, "give the recipient's IGSID or PSID in dest (or, for a private"
                    + " reply, the comment's id in comment_id)");
        }
        if (p.present("comment_id")) {
            throw ApiException.of(StatusCode.INVALID_DEST, "give dest or comment_id, not both");
        }
        String dest = p.text("dest").map(String::strip).orElse("");
        if (!dest.matches("[0-9]+") || dest.length() > MAX_DEST) {
            throw ApiException.of(StatusCode.INVALID_DEST, "dest must be the recipient's id: digits only, at most " + MAX_DEST);
        }
        return dest;
    }

    private static String commentId(Params p) {
        String id = p.text("comment_id").map(String::strip).orElse("");
        if (!id.matches(COMMENT_ID)) {
            throw ApiException.of(StatusCode.INVALID_DEST, "comment_id must be the comment's id: digits, or a Page"
                    + " comment's two parts of digits joined by _");
        }
        return id;
    }

    private static Kind kind(Params p, SendRules channel) {
        if (!p.present("mtype")) {
            return Kind.TEXT;
        }
        String raw = p.text("mtype").map(s -> s.strip().toUpperCase(Locale.ROOT)).orElse("");
        for (Kind k : channel.kinds()) {
            if (k.name().equals(raw)) {
                return k;
            }
        }
        throw ApiException.of(StatusCode.INVALID_MTYPE, "mtype must be one of " + channel.kinds().stream()
                .map(k -> k.name().toLowerCase(Locale.ROOT)).sorted().toList() + " on " + channel.channelName());
    }

    /** The mid replied to; a reaction's is required: the message it reacts to. */
    private static Optional<String> replyTo(Params p, Kind kind) {
        if (!p.present("reply_to")) {
            if (kind == Kind.REACTION) {
                throw ApiException.of(StatusCode.INVALID_REPLY_TO, "a reaction needs reply_to: the mid of the message"
                        + " it reacts to");
            }
            return Optional.empty();
        }
        return Optional.of(MessageParts.mid(p.text("reply_to").orElseThrow(() -> ApiException.of(
                StatusCode.INVALID_REPLY_TO, "reply_to must be a string: the mid of a message of this conversation"))));
    }

    private static Optional<String> msgId(Params p) {
        if (p.structured("msg_id")) {
            throw ApiException.of(StatusCode.INVALID_MSG_ID, "msg_id must be a string");
        }
        Optional<String> msgId = p.text("msg_id");
        // characters, as docs/api.md says, not UTF-16 units (an emoji is one character, two units)
        if (msgId.isPresent() && msgId.get().codePointCount(0, msgId.get().length()) > MAX_MSG_ID) {
            throw ApiException.of(StatusCode.INVALID_MSG_ID, "msg_id is at most " + MAX_MSG_ID + " characters");
        }
        return msgId;
    }

    /** {@code async}: 1 or true queues the send, 0 or false (or none) sends it directly; JSON true and 1 count too. */
    private static boolean async(Params p) {
        if (!p.present("async")) {
            return false;
        }
        return switch (p.text("async").map(s -> s.strip().toLowerCase(Locale.ROOT)).orElse("")) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw ApiException.of(StatusCode.INVALID_ASYNC, "async must be 1 or true (queue the send), or 0"
                    + " or false (send it now)");
        };
    }

    private static boolean tag(Params p) {
        if (!p.present("tag")) {
            return false;
        }
        String tag = p.text("tag").map(String::strip).orElse("");
        if (!tag.equalsIgnoreCase(SendRequest.HUMAN_AGENT)) {
            throw ApiException.of(StatusCode.INVALID_TAG, "the only tag is HUMAN_AGENT");
        }
        return true;
    }

    /** {@code agent=human}: a person wrote it; the tag follows from the window at send time. Refused as a tag (231). */
    private static boolean agent(Params p) {
        if (!p.present("agent")) {
            return false;
        }
        if (!p.text("agent").map(String::strip).orElse("").equalsIgnoreCase("human")) {
            throw ApiException.of(StatusCode.INVALID_TAG, "agent can only be human (a person wrote the message)");
        }
        return true;
    }
}
