package linegate.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.meta.WebhookEvent.Target;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Meta's webhook deliveries ({@code {"object":..., "entry":[...]}}) into {@link WebhookEvent}s. Follows the
 * documented payloads of Instagram (Messenger Platform and Instagram Login) and Messenger: events sit in
 * {@code entry[].messaging[]} (and {@code standby[]} under the handover protocol). Of {@code changes[]}, new comments
 * are {@link WebhookEvent.Comment}s (Instagram's {@code comments} field, a Page's {@code feed} with {@code item:
 * comment} and {@code verb: add}, {@link CommentDetails}); a Page comment edited or removed, and every other change
 * (mentions, live comments, posts, reactions), are reported as unknown kinds. Tolerant where Meta varies: ids and
 * timestamps as numbers or strings, timestamps in seconds or milliseconds.
 *
 * @see <a href="https://developers.facebook.com/docs/messenger-platform/webhooks">Messenger webhooks</a>
 * @see <a href="https://developers.facebook.com/docs/instagram-platform/webhooks/examples">Instagram webhook examples</a>
 */
public final class WebhookParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The {@code object}s whose entries carry Messenger Platform events in {@code messaging[]}: Instagram (through a
     * Page or Instagram Login) and Pages. Entries of any other object are kept as unknown kinds.
     */
    public static final Set<String> MESSAGING_OBJECTS = Set.of("instagram", "page");

    /** The body is not a webhook delivery at all (not JSON, or no entry array). */
    public static final class MalformedDeliveryException extends RuntimeException {
        MalformedDeliveryException(String message) {
            super(message, null, false, false);
        }
    }

    public List<WebhookEvent> parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new MalformedDeliveryException("the delivery is not JSON");
        }
        if (root == null || !root.path("entry").isArray()) {
            throw new MalformedDeliveryException("the delivery has no entry array");
        }
        String object = root.path("object").asText("");
        boolean messaging = MESSAGING_OBJECTS.contains(object);
        List<WebhookEvent> events = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            Target target = new Target(object, text(entry.path("id")));
            if (!messaging) {
                events.add(new WebhookEvent.Unknown(target, "object:" + object));
                continue;
            }
            long entryTime = millis(entry.path("time"));
            for (String list : List.of("messaging", "standby")) {
                for (JsonNode m : entry.path(list)) {
                    events.add(event(target, m, entryTime));
                }
            }
            for (JsonNode change : entry.path("changes")) {
                events.add(change(target, change, entryTime));
            }
        }
        return events;
    }

    private static WebhookEvent event(Target target, JsonNode m, long entryTime) {
        String sender = text(m.path("sender").path("id"));
        String recipient = text(m.path("recipient").path("id"));
        long ts = m.has("timestamp") ? millis(m.path("timestamp")) : entryTime;
        String json = m.toString();
        JsonNode message = m.path("message");
        if (message.isObject()) {
            String mid = text(message.path("mid"));
            if (message.path("is_echo").asBoolean(false)) {
                return new WebhookEvent.Echo(target, recipient, ts, mid, mtype(message), content(message), json);
            }
            if (message.path("is_deleted").asBoolean(false)) {
                return new WebhookEvent.Deletion(target, sender, ts, mid);
            }
            return new WebhookEvent.Inbound(target, sender, ts, mtype(message), content(message),
                    Optional.of(mid).filter(s -> !s.isEmpty()),
                    // Meta always sends a mid; without one, the sender and time keep distinct messages apart
                    "message:" + (mid.isEmpty() ? sender + ":" + ts : mid), json);
        }
        if (m.path("reaction").isObject()) {
            JsonNode r = m.path("reaction");
            String action = r.path("action").asText("react");
            String reaction = r.has("emoji") ? r.path("emoji").asText() : r.path("reaction").asText("");
            return new WebhookEvent.Inbound(target, sender, ts, "reaction", (action + " " + reaction).strip(), Optional.empty(),
                    "reaction:" + text(r.path("mid")) + ":" + action + ":" + r.path("reaction").asText("") + ":" + ts, json);
        }
        if (m.path("postback").isObject()) {
            JsonNode p = m.path("postback");
            // a postback is a message of its own in the thread, and its mid (v11.0+, docs/meta-facts.md, "Webhook objects and events") is its id
            Optional<String> mid = Optional.of(text(p.path("mid"))).filter(s -> !s.isEmpty());
            String key = mid.orElseGet(() -> ts + ":" + p.path("payload").asText(""));
            return new WebhookEvent.Inbound(target, sender, ts, "postback", p.path("title").asText(p.path("payload").asText("")),
                    mid, "postback:" + key, json);
        }
        if (m.path("referral").isObject()) {
            JsonNode r = m.path("referral");
            return new WebhookEvent.Inbound(target, sender, ts, "referral", r.path("ref").asText(""), Optional.empty(),
                    "referral:" + ts + ":" + r.path("ref").asText("") + ":" + r.path("source").asText(""), json);
        }
        if (m.path("read").isObject()) {
            JsonNode r = m.path("read");
            return new WebhookEvent.Read(target, sender, ts,
                    Optional.of(text(r.path("mid"))).filter(s -> !s.isEmpty()),
                    r.has("watermark") ? Optional.of(millis(r.path("watermark"))) : Optional.empty());
        }
        if (m.path("delivery").isObject()) {
            JsonNode d = m.path("delivery");
            List<String> mids = new ArrayList<>();
            d.path("mids").forEach(n -> mids.add(text(n)));
            Optional<Long> watermark = d.has("watermark") ? Optional.of(millis(d.path("watermark"))) : Optional.empty();
            return new WebhookEvent.Delivery(target, sender, m.has("timestamp") ? ts : watermark.orElse(ts), mids, watermark);
        }
        if (m.path("message_edit").isObject()) {
            JsonNode e = m.path("message_edit");
            return new WebhookEvent.Edit(target, sender, ts, text(e.path("mid")), e.path("text").asText(""),
                    e.path("num_edit").asInt(1));
        }
        return new WebhookEvent.Unknown(target, kindOf(m));
    }

    /**
     * A new comment, or an unknown kind: {@code changes:<field>}, and for a Page comment that is not new
     * {@code changes:feed:comment:<verb>} (edits and removals are not reported to the CRM: docs/api.md, "Events").
     */
    private static WebhookEvent change(Target target, JsonNode change, long entryTime) {
        String field = change.path("field").asText("?");
        Optional<CommentDetails> comment = CommentDetails.of(change);
        if (comment.isEmpty()) {
            return new WebhookEvent.Unknown(target, "changes:" + field);
        }
        CommentDetails c = comment.get();
        if (!c.verb().equals(CommentDetails.ADD)) {
            return new WebhookEvent.Unknown(target, "changes:" + field + ":comment:" + c.verb());
        }
        return new WebhookEvent.Comment(target, c.commentId(), c.authorId(), c.createdAt().orElse(entryTime),
                change.toString());
    }

    /** text, or the first attachment's type; a story reply and an unsupported message are kinds of their own. */
    private static String mtype(JsonNode message) {
        if (message.path("is_unsupported").asBoolean(false)) {
            return "unsupported";
        }
        if (message.path("reply_to").path("story").isObject()) {
            return "story_reply";
        }
        JsonNode attachments = message.path("attachments");
        if (attachments.isArray() && !attachments.isEmpty()) {
            return attachments.get(0).path("type").asText("attachment");
        }
        if (attachments.isObject()) {
            return attachments.path("type").asText("attachment");
        }
        return "text";
    }

    /** The text; without text, the attachments' URLs one a line. */
    private static String content(JsonNode message) {
        if (message.hasNonNull("text")) {
            return message.path("text").asText();
        }
        List<String> urls = new ArrayList<>();
        JsonNode attachments = message.path("attachments");
        for (JsonNode a : attachments.isArray() ? attachments : List.of(attachments)) {
            String url = a.path("payload").path("url").asText("");
            if (!url.isEmpty()) {
                urls.add(url);
            }
        }
        return String.join("\n", urls);
    }

    private static String kindOf(JsonNode m) {
        for (Iterator<String> names = m.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("sender") && !name.equals("recipient") && !name.equals("timestamp")) {
                return name;
            }
        }
        return "empty";
    }

    /** Ids arrive as strings or (Instagram's entry.id in some payloads) numbers: keep every digit either way. */
    private static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "";
        }
        return node.isNumber() ? node.bigIntegerValue().toString() : node.asText();
    }

    /** Epoch milliseconds from a number or numeric string; values that look like seconds are scaled. */
    static long millis(JsonNode node) {
        long v = node.isNumber() ? node.asLong() : parse(node.asText(""));
        return v > 0 && v < 100_000_000_000L ? v * 1000 : v;
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
