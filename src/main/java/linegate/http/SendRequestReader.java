package linegate.http;

import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;
import linegate.channel.SendRules;
import linegate.meta.OutboundMessage.Kind;
import linegate.send.SendRequest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads and checks a send request's parameters in the documented order (docs/status-codes.md, "The order of the checks": 210/211, 220/221, 225, 226,
 * 227/228/229/231, then 296 for async); the first failing check answers.
 */
final class SendRequestReader {
    static final int MAX_URL = 2048;
    static final int MAX_MSG_ID = 128;
    static final int MAX_DEST = 64;

    private SendRequestReader() {
    }

    static SendRequest read(Params p, SendRules channel) {
        long lineId = lineId(p);
        String dest = dest(p);
        String mdata = p.text("mdata").orElseThrow(() -> p.structured("mdata")
                ? ApiException.of(StatusCode.NO_MDATA, "mdata must be a string, not a JSON object or array")
                : ApiException.of(StatusCode.NO_MDATA, "give the text, or for media the URL, in mdata"));
        Kind kind = kind(p, channel);
        if (kind == Kind.TEXT) {
            int length = channel.textLength().applyAsInt(mdata);
            if (length > channel.textLimit()) {
                throw ApiException.of(StatusCode.MESSAGE_TOO_LONG, "the text is " + length + " " + channel.textLimitUnit()
                        + "; " + channel.channelName() + " allows at most " + channel.textLimit());
            }
        } else {
            checkMediaUrl(mdata);
        }
        Optional<String> msgId = msgId(p);
        boolean humanAgent = tag(p);
        return new SendRequest(lineId, dest, kind, mdata, msgId, humanAgent, async(p));
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
            throw ApiException.of(StatusCode.NO_DEST, "give the recipient's IGSID or PSID in dest");
        }
        String dest = p.text("dest").map(String::strip).orElse("");
        if (!dest.matches("[0-9]+") || dest.length() > MAX_DEST) {
            throw ApiException.of(StatusCode.INVALID_DEST, "dest must be the recipient's id: digits only, at most " + MAX_DEST);
        }
        return dest;
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

    private static void checkMediaUrl(String url) {
        String why = "mdata must be the absolute http(s) URL of the media, at most " + MAX_URL + " characters";
        if (url.length() > MAX_URL) {
            throw ApiException.of(StatusCode.INVALID_MEDIA_URL, why);
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getHost().isEmpty()) {
                throw ApiException.of(StatusCode.INVALID_MEDIA_URL, why);
            }
        } catch (URISyntaxException e) {
            throw ApiException.of(StatusCode.INVALID_MEDIA_URL, why);
        }
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
}
