package linegate.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.meta.WebhookSignature;
import linegate.store.LineClass;
import linegate.store.LogRow;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Meta's side of {@code /webhooks/meta} against a running {@link Gateway}: deliveries built from Meta's documented
 * payloads, signed as Meta signs them (HMAC-SHA256 of the raw body bytes under the app secret, docs/meta-facts.md
 * §5.2), posted, and waited for: events are applied after the 200, so every check polls with a deadline.
 */
public final class Webhooks {
    public static final String PATH = "/webhooks/meta";
    /** Meta app secret ({@code LINEGATE_APP_SECRET}). */
    public static final String APP_SECRET = "0f5c2a9e7b1d4c3a8e6f2b0d9c7a5e31";
    /** Instagram app secret ({@code LINEGATE_INSTAGRAM_APP_SECRET}), the second secret an Instagram-Login app may sign with. */
    public static final String INSTAGRAM_APP_SECRET = "7d3b9f1e5a2c8d4b6f0e3a9c1d7b5f42";
    /** The verify token of Meta's handshake sample (docs/meta-facts.md, "Webhook handshake"). */
    public static final String VERIFY_TOKEN = "meatyhamhock";
    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    /** A placeholder of Meta's docs left in a payload: {@code <SENDER_ID>}, {@code <ATTACHMENT_URL >}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Z][A-Z_ ]*>");

    private final Gateway gw;

    public Webhooks(Gateway gw) {
        this.gw = gw;
    }

    /** The environment of a gateway that verifies deliveries with {@link #APP_SECRET} and answers the handshake. */
    public static Map<String, String> env() {
        return new HashMap<>(Gateway.env("LINEGATE_APP_SECRET", APP_SECRET, "LINEGATE_VERIFY_TOKEN", VERIFY_TOKEN));
    }

    // ---- posting ----

    /** Posts {@code body} signed under {@link #APP_SECRET}; does not wait for it to be applied. */
    public Gateway.Response post(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return post(bytes, WebhookSignature.sign(APP_SECRET, bytes));
    }

    /** Posts these exact bytes with this {@code X-Hub-Signature-256} value ({@code null}: no header). */
    public Gateway.Response post(byte[] body, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + PATH))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header(SIGNATURE_HEADER, signature);
        }
        return gw.send(b.build());
    }

    /** Posts a signed delivery, requires Meta's 200, and waits until Linegate has tried to apply it. */
    public void deliver(String body) {
        Gateway.Response r = post(body);
        if (r.status() != 200) {
            throw new AssertionError("webhook delivery answered " + r.status() + " " + r.raw() + " for " + body);
        }
        awaitSettled();
    }

    /** Waits until every stored delivery has been tried at least once (applied, or kept with its error). */
    public void awaitSettled() {
        await("every webhook delivery to be tried", () -> count("SELECT COUNT(*) FROM webhook_inbox WHERE attempts = 0") == 0
                ? Optional.of(true) : Optional.empty());
    }

    // ---- sends through the API ----

    public static final String MAKE_INSTAGRAM = "/api/v2/MakeInstagram.php";
    public static final String MAKE_MESSENGER = "/api/v2/MakeMessenger.php";

    /**
     * Sends {@code text} to {@code peer} on {@code lineId} through {@code endpoint} (MakeInstagram or MakeMessenger),
     * Meta answering {@code {"recipient_id":peer,"message_id":mid}}; requires the 200 and returns the cdls_id.
     */
    public long send(String endpoint, long lineId, String peer, String text, String mid) {
        MetaStubs.answers(gw.meta(), MetaStubs.answer(200,
                "{\"recipient_id\":\"" + peer + "\",\"message_id\":\"" + mid + "\"}"));
        Gateway.Response r = gw.postJson(endpoint, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + lineId + ",\"dest\":\""
                + peer + "\",\"mdata\":\"" + text + "\"}");
        if (r.status() != 200 || r.statusCode() != 200) {
            throw new AssertionError("the send answered " + r.status() + " " + r.raw());
        }
        return r.ret().path("cdls_id").asLong();
    }

    /** The row with this cdls_id. */
    public LogRow row(long cdlsId) {
        return gw.stores().log().find(cdlsId).orElseThrow(() -> new AssertionError("no row " + cdlsId));
    }

    // ---- what Linegate stored ----

    /** A row of {@code webhook_inbox}. */
    public record InboxRow(long id, long receivedAt, String body, Long processedAt, int attempts, String lastError) {
    }

    public List<InboxRow> inbox() {
        return gw.stores().db().call(h -> h.createQuery("SELECT * FROM webhook_inbox ORDER BY id")
                .map((rs, ctx) -> {
                    long processedAt = rs.getLong("processed_at");
                    Long processed = rs.wasNull() ? null : processedAt;
                    return new InboxRow(rs.getLong("id"), rs.getLong("received_at"), rs.getString("body"),
                            processed, rs.getInt("attempts"), rs.getString("last_error"));
                })
                .list());
    }

    public long count(String sql) {
        return gw.stores().db().call(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** Every row of the message log, whatever the account. */
    public long logRows() {
        return count("SELECT COUNT(*) FROM message_log");
    }

    /** The rows of one line, oldest first. */
    public List<LogRow> rows(long lineId) {
        List<LogRow> rows = new ArrayList<>(gw.stores().log().list(Optional.empty(), 100_000).stream()
                .filter(r -> r.lineId() == lineId).toList());
        Collections.reverse(rows);
        return rows;
    }

    /** Every column of every row of the message log and the conversations, to compare before and after a redelivery. */
    public List<Map<String, Object>> snapshot() {
        List<Map<String, Object>> all = new ArrayList<>(gw.stores().db().call(h -> h.createQuery(
                "SELECT * FROM message_log ORDER BY id").mapToMap().list()));
        all.addAll(gw.stores().db().call(h -> h.createQuery(
                "SELECT * FROM conversations ORDER BY line_id, peer_id").mapToMap().list()));
        return all.stream().map(m -> (Map<String, Object>) new LinkedHashMap<>(m)).toList();
    }

    /** The sum of {@code linegate_webhook_events_total} over the series with these labels (null: any value). */
    public double events(String object, String kind, String result) {
        String metrics = gw.get("/metrics").raw();
        Pattern line = Pattern.compile("^linegate_webhook_events_total\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
        Pattern label = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
        double sum = 0;
        for (Matcher m = line.matcher(metrics); m.find(); ) {
            Map<String, String> labels = new HashMap<>();
            for (Matcher l = label.matcher(m.group(1)); l.find(); ) {
                labels.put(l.group(1), l.group(2));
            }
            if ((object == null || object.equals(labels.get("object"))) && (kind == null || kind.equals(labels.get("kind")))
                    && (result == null || result.equals(labels.get("result")))) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    // ---- lines ----

    /** A new active Instagram line of the gateway's account, for an Instagram account id no other line has. */
    public Line newInstagramLine() {
        String igId = newId("178414");
        long id = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.of(igId), Optional.empty(), true, false));
        return new Line(id, igId);
    }

    /** A new active Messenger line of the gateway's account, for a Facebook Page id no other line has. */
    public Line newMessengerLine() {
        String pageId = newId("10734");
        long id = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.MESSENGER,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.empty(), Optional.of(pageId), true, false));
        return new Line(id, pageId);
    }

    /** A line and the id Meta's webhooks name it by ({@code entry.id}: Instagram account id or Page id). */
    public record Line(long id, String entryId) {
    }

    // ---- payloads ----

    /** A fresh numeric id (IGSID, PSID, account or page id) with this prefix: 16 or more digits. */
    public static String newId(String prefix) {
        return prefix + String.format("%010d", IDS.incrementAndGet());
    }

    /** A fresh Instagram message id, shaped like Meta's (base64-ish, about 160 characters). */
    public static String newIgMid() {
        return "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1NzkzMTg3MjE4OjM0MDI4MjM2Njg0MTcxMDMwMTI0NDI1OTYwNTE0MDA3ODgx"
                + "NjI5NzozMjI4NzYyNzg5NzA3NzU2ODEyMTI0NDc4ODg3NjM4NDAwMAZDZD" + IDS.incrementAndGet();
    }

    /** A fresh Messenger message id, shaped like Meta's {@code m_...}. */
    public static String newMessengerMid() {
        return "m_1fTq8oLumEyIp3Q2MR-aY7IfLZDamVrALniheU" + IDS.incrementAndGet();
    }

    /**
     * A customer's text message on Instagram: Meta's IG Login sample {@code ig-login-webhook-messaging.postman.json}
     * (text "Hello"), {@code peer} writing to {@code igAccountId} at {@code at}; {@code morePairs} replace more of it.
     */
    public static String igMessage(String igAccountId, String peer, String mid, long at, String... morePairs) {
        List<String> pairs = new ArrayList<>(List.of(
                "<YOUR_APP_USERS_INSTAGRAM_USER_ID>", igAccountId,
                "\"<TIME_NOTIFICATION_WAS_SENT>\"", Long.toString(at + 310),
                "<SENDER_ID>", peer,
                "<RECIPIENT_ID>", igAccountId,
                "\"<TIME_WEBHOOK_WAS_TRIGGERED>\"", Long.toString(at),
                "<MESSAGE_ID>", mid));
        pairs.addAll(List.of(morePairs));
        return sample("ig-login-webhook-messaging.postman.json", pairs.toArray(String[]::new));
    }

    /** {@code {"object":"instagram","entry":[{"id":igAccountId,"time":time,"messaging":[events]}]}}. */
    public static String instagram(String igAccountId, long time, String... events) {
        return delivery("instagram", entry(igAccountId, time, events));
    }

    /** Meta's Messenger envelope around bare messaging events (docs/meta-facts.md, "Webhook objects and events"). */
    public static String page(String pageId, long time, String... events) {
        return delivery("page", entry(pageId, time, events));
    }

    /** One entry of a delivery: {@code {"id":..,"time":..,"messaging":[events]}}. */
    public static String entry(String id, long time, String... events) {
        return "{\"id\":\"" + id + "\",\"time\":" + time + ",\"messaging\":[" + String.join(",", events) + "]}";
    }

    /** A delivery with several entries (Meta batches them). */
    public static String delivery(String object, String... entries) {
        return strictJson("{\"object\":\"" + object + "\",\"entry\":[" + String.join(",", entries) + "]}");
    }

    /**
     * A sample of src/test/resources/meta with its placeholders replaced: {@code pairs} are (text as it stands in the
     * sample, replacement), applied in order to every occurrence. The result must be strict JSON with no {@code <...>}
     * placeholder left.
     */
    public static String sample(String name, String... pairs) {
        return fill(MetaSamples.read(name), pairs);
    }

    /** {@link #sample} for a {@code .jsonc} snippet of Meta's docs, first made strict JSON by {@link #strict}. */
    public static String jsoncSample(String name, String... pairs) {
        return fill(strict(MetaSamples.read(name)), pairs);
    }

    public static String fill(String text, String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("pairs of (placeholder, value) expected");
        }
        for (int i = 0; i < pairs.length; i += 2) {
            if (!text.contains(pairs[i])) {
                throw new IllegalArgumentException("the sample has no " + pairs[i] + ": " + text);
            }
            text = text.replace(pairs[i], pairs[i + 1]);
        }
        Matcher left = PLACEHOLDER.matcher(text);
        if (left.find()) {
            throw new IllegalStateException("placeholder " + left.group() + " left unfilled in " + text);
        }
        return strictJson(text);
    }

    /**
     * A {@code .jsonc} snippet of Meta's docs as strict JSON, keeping its structure and names: {@code //} comments
     * dropped, JavaScript's code point escapes (backslash, u, {2764}) written as JSON's, the commas Meta's docs leave
     * out between members on separate lines added, trailing commas removed.
     */
    public static String strict(String jsonc) {
        StringBuilder out = new StringBuilder();
        for (String line : jsonc.split("\n", -1)) {
            out.append(withoutComment(line)).append('\n');
        }
        String s = out.toString();
        Matcher u = Pattern.compile("\\\\u\\{([0-9A-Fa-f]+)}").matcher(s);
        StringBuilder escaped = new StringBuilder();
        while (u.find()) {
            StringBuilder e = new StringBuilder();
            for (char c : Character.toChars(Integer.parseInt(u.group(1), 16))) {
                e.append(String.format("\\\\u%04x", (int) c));
            }
            u.appendReplacement(escaped, e.toString());
        }
        u.appendTail(escaped);
        s = escaped.toString();
        s = s.replaceAll("(\"|\\d|}|]|true|false|null)([ \\t]*\\n\\s*)(\")", "$1,$2$3");
        s = s.replaceAll(",(\\s*[}\\]])", "$1");
        return s;
    }

    private static String withoutComment(String line) {
        boolean inString = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inString && c == '\\') {
                i++;
            } else if (c == '"') {
                inString = !inString;
            } else if (!inString && c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** {@code text}, after checking that it parses as strict JSON. */
    public static String strictJson(String text) {
        try {
            JSON.readTree(text);
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("not strict JSON (" + e.getMessage() + "): " + text, e);
        }
    }

    // ---- waiting ----

    /** Polls until {@code probe} yields a value, up to a deadline; never a fixed sleep. */
    public static <T> T await(String what, Supplier<Optional<T>> probe) {
        return await(what, probe, DEADLINE);
    }

    /** {@link #await(String, Supplier)} with a deadline of its own, for waits bound by a longer rule (a heartbeat). */
    public static <T> T await(String what, Supplier<Optional<T>> probe, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + within.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
