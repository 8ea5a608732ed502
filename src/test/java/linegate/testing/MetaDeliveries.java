package linegate.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import linegate.meta.WebhookSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What a customer does, as Meta delivers it to {@code POST /webhooks/meta}: bodies built from Meta's documented samples
 * (placeholders filled in, timestamps in epoch milliseconds as Meta sends them), signed under the app secret as Meta
 * signs them, and awaited until the running {@link Gateway} has applied them (applying happens after the 200).
 */
public final class MetaDeliveries {
    /** The app secret a gateway must be started with ({@code LINEGATE_APP_SECRET}) to accept these deliveries. */
    public static final String APP_SECRET = "test-secret";
    private static final Duration APPLIED_WITHIN = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private MetaDeliveries() {
    }

    /** A fresh IGSID / PSID: digits only, different on every call. */
    public static String newPeer() {
        return Long.toString(1_254_477_700_000_000L + SEQUENCE.incrementAndGet());
    }

    /** A fresh Meta message id. */
    public static String newMid() {
        return "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1NzkzMTg3MjE4" + SEQUENCE.incrementAndGet();
    }

    /**
     * A customer's text message on Instagram (Meta's IG Login sample {@code ig-login-webhook-messaging.postman.json}):
     * {@code peer} wrote to the Instagram account {@code igAccountId} at {@code atMillis}; Meta sends it now.
     */
    public static String instagramMessage(String igAccountId, String peer, long atMillis, String mid) {
        return fill(MetaSamples.read("ig-login-webhook-messaging.postman.json")
                .replace("<YOUR_APP_USERS_INSTAGRAM_USER_ID>", igAccountId)
                .replace("\"<TIME_NOTIFICATION_WAS_SENT>\"", Long.toString(System.currentTimeMillis()))
                .replace("<SENDER_ID>", peer)
                .replace("<RECIPIENT_ID>", igAccountId)
                .replace("\"<TIME_WEBHOOK_WAS_TRIGGERED>\"", Long.toString(atMillis))
                .replace("<MESSAGE_ID>", mid));
    }

    public static String instagramMessage(String igAccountId, String peer, long atMillis) {
        return instagramMessage(igAccountId, peer, atMillis, newMid());
    }

    /** The customer reacted to a message (Meta's sample {@code ig-login-webhook-reactions.postman.json}). */
    public static String instagramReaction(String igAccountId, String peer, long atMillis) {
        return fill(MetaSamples.read("ig-login-webhook-reactions.postman.json")
                .replace("<YOUR_APP_USERS_INSTAGRAM_USER_ID>", igAccountId)
                .replace("\"<TIME_NOTIFICATION_WAS_SENT>\"", Long.toString(System.currentTimeMillis()))
                .replace("<INSTAGRAM_SCOPED_ID>", peer)
                .replace("\"<TIME_WEBHOOK_WAS_TRIGGERED>\"", Long.toString(atMillis))
                .replace("<MESSAGE_ID>", newMid()));
    }

    /** The customer tapped an icebreaker or button (Meta's sample {@code ig-login-webhook-postbacks.postman.json}). */
    public static String instagramPostback(String igAccountId, String peer, long atMillis) {
        return fill(MetaSamples.read("ig-login-webhook-postbacks.postman.json")
                .replace("<YOUR_APP_USERS_INSTAGRAM_USER_ID>", igAccountId)
                .replace("\"<TIME_NOTIFICATION_WAS_SENT>\"", Long.toString(System.currentTimeMillis()))
                .replace("<INSTAGRAM_SCOPED_ID>", peer)
                .replace("\"<TIME_WEBHOOK_WAS_TRIGGERED>\"", Long.toString(atMillis))
                .replace("<MESSAGE_ID>", newMid())
                .replace("<USER_SELECTED_ICEBREAKER_OPTION_OR_CTA_BUTTON>", "Opening hours")
                .replace("<OPTION_OR_BUTTON_PAYLOAD>", "HOURS"));
    }

    /** The customer saw a message (Meta's sample {@code ig-login-webhook-seen.postman.json}). */
    public static String instagramSeen(String igAccountId, String peer, long atMillis) {
        return fill(MetaSamples.read("ig-login-webhook-seen.postman.json")
                .replace("<YOUR_APP_USERS_INSTAGRAM_USER_ID>", igAccountId)
                .replace("\"<TIME_NOTIFICATION_WAS_SENT>\"", Long.toString(System.currentTimeMillis()))
                .replace("<INSTAGRAM_SCOPED_ID>", peer)
                .replace("\"<TIME_WEBHOOK_WAS_TRIGGERED>\"", Long.toString(atMillis))
                .replace("<MESSAGE_ID>", newMid()));
    }

    /** The business wrote to the customer from Meta's own app, echoed back (Meta's sample {@code ig-login-webhook-self-echo.postman.json}). */
    public static String instagramEcho(String igAccountId, String peer, long atMillis) {
        return fill(MetaSamples.read("ig-login-webhook-self-echo.postman.json")
                .replace("<YOUR_APP_USERS_IG_USER_ID>", igAccountId)
                .replace("<YOUR_APP_USERS_INSTAGRAM_SCOPED_ID>", peer)
                .replace("\"timestamp\": \"<TIME_META_SENT_THIS_NOTIFICATION>\"", "\"timestamp\": " + atMillis)
                .replace("\"<TIME_META_SENT_THIS_NOTIFICATION>\"", Long.toString(System.currentTimeMillis()))
                .replace("<MESSAGE_ID>", newMid())
                .replace("<MESSAGE_TEXT>", "Sent from the Instagram app"));
    }

    /**
     * A customer's text message on Messenger: Meta's event sample {@code messenger-webhook-messaging-text.doc.json} in
     * the {@code object: page} envelope, {@code psid} writing to the Page {@code pageId} at {@code atMillis}.
     */
    public static String messengerMessage(String pageId, String psid, long atMillis) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(MetaSamples.read("messenger-webhook-messaging-text.doc.json")
                    .replace("<PSID>", psid)
                    .replace("<PAGE_ID>", pageId)
                    .replace("<DEVELOPER_DEFINED_PAYLOAD>", "BOOK_TABLE"));
            event.put("timestamp", atMillis);
            ((ObjectNode) event.path("message")).put("mid", "m_" + newMid());
            ObjectNode delivery = JSON.createObjectNode().put("object", "page");
            ArrayNode entries = delivery.putArray("entry");
            ObjectNode entry = entries.addObject().put("id", pageId).put("time", System.currentTimeMillis());
            entry.putArray("messaging").add(event);
            return fill(JSON.writeValueAsString(delivery));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One delivery carrying the events of several, in the order given (Meta batches events; the order within a batch is
     * not a promise of time order). All must be for the same object and entry.
     */
    public static String batched(String first, String... more) {
        try {
            ObjectNode delivery = (ObjectNode) JSON.readTree(first);
            ArrayNode messaging = (ArrayNode) delivery.path("entry").path(0).path("messaging");
            for (String other : more) {
                JSON.readTree(other).path("entry").path(0).path("messaging").forEach(messaging::add);
            }
            return JSON.writeValueAsString(delivery);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Posts a delivery signed as Meta signs it; asserts Linegate's 200 and waits until it has been applied. */
    public static void deliver(Gateway gw, String body) {
        Gateway.Response r = post(gw, body);
        if (r.status() != 200) {
            throw new AssertionError("webhook delivery answered " + r.status() + ": " + r.raw());
        }
        await("the webhook delivery to be applied", () -> gw.stores().inbox().backlog() == 0 ? Optional.of(true) : Optional.empty());
    }

    /** Posts a delivery signed as Meta signs it, and returns the answer without waiting. */
    public static Gateway.Response post(Gateway gw, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return gw.post("/webhooks/meta", "application/json", body,
                Map.of("X-Hub-Signature-256", WebhookSignature.sign(APP_SECRET, bytes)));
    }

    /**
     * Delivers the customer's message and waits until the conversation's window reflects it: the last inbound time of
     * ({@code lineId}, {@code peer}) is present and no older than {@code atMillis}. Returns that time.
     */
    public static long deliverAndAwaitWindow(Gateway gw, String body, long lineId, String peer, long atMillis) {
        deliver(gw, body);
        return await("the window of line " + lineId + " and peer " + peer + " to open",
                () -> gw.stores().conversations().lastInbound(lineId, peer).filter(t -> t >= atMillis));
    }

    /** Polls until {@code probe} yields a value, up to 10 s. */
    public static <T> T await(String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + APPLIED_WITHIN.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + APPLIED_WITHIN.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    private static String fill(String body) {
        if (body.contains("<") || body.contains(">")) {
            throw new IllegalStateException("a placeholder of Meta's sample was left unfilled: " + body);
        }
        return body;
    }
}
