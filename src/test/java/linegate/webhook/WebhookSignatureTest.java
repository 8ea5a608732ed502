package linegate.webhook;

import linegate.meta.WebhookSignature;
import linegate.store.LogRow;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /webhooks/meta} is accepted only with a valid {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256
 * of the raw body bytes under LINEGATE_APP_SECRET (or LINEGATE_INSTAGRAM_APP_SECRET); otherwise 403 and nothing is
 * stored (docs/api.md, "The messaging window", docs/meta-facts.md, "Webhook signatures"). A valid delivery is durable before the 200; a replay changes nothing.
 */
class WebhookSignatureTest extends GatewayPerDatabase {
    static final String IGSID = "1254477777772919";

    Webhooks hooks;
    Webhooks.Line line;
    long inboxBefore;
    long rowsBefore;

    @Override
    protected Map<String, String> gatewayEnv() {
        Map<String, String> vars = Webhooks.env();
        vars.put("LINEGATE_INSTAGRAM_APP_SECRET", Webhooks.INSTAGRAM_APP_SECRET);
        return vars;
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void openWebhooks() {
        hooks = new Webhooks(gw);
    }

    @BeforeEach
    void freshLine() {
        hooks.awaitSettled();
        line = hooks.newInstagramLine();
        inboxBefore = hooks.inbox().size();
        rowsBefore = hooks.logRows();
    }

    private String message(String mid, String... morePairs) {
        return Webhooks.igMessage(line.entryId(), IGSID, mid, System.currentTimeMillis(), morePairs);
    }

    private void assertRefusedAndNothingStored(Gateway.Response r) {
        assertThat(r.status()).as("HTTP status, body %s", r.raw()).isEqualTo(403);
        assertThat(hooks.inbox()).as("webhook_inbox").hasSize((int) inboxBefore);
        assertThat(hooks.logRows()).as("message_log rows").isEqualTo(rowsBefore);
        assertThat(gw.stores().conversations().lastInbound(line.id(), IGSID)).isEmpty();
    }

    private LogRow awaitOneRow() {
        return Webhooks.await("the inbound row", () -> hooks.rows(line.id()).stream().findFirst());
    }

    @Test
    void acceptsADeliverySignedWithTheAppSecretAndStoresItBeforeAnswering() {
        String mid = Webhooks.newIgMid();
        String body = message(mid);

        Gateway.Response r = hooks.post(body);

        assertThat(r.status()).isEqualTo(200);
        // durable before the 200: the row is there the moment the answer is
        List<Webhooks.InboxRow> inbox = hooks.inbox();
        assertThat(inbox).hasSize((int) inboxBefore + 1);
        assertThat(inbox.getLast().body()).isEqualTo(body);
        LogRow row = awaitOneRow();
        assertThat(row.metaMessageId()).contains(mid);
        assertThat(row.mdata()).isEqualTo("Hello");
    }

    @Test
    void refusesABodyChangedAfterSigning() {
        byte[] body = message(Webhooks.newIgMid()).getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign(Webhooks.APP_SECRET, body);
        int at = new String(body, StandardCharsets.UTF_8).indexOf("Hello");
        body[at] = 'J';

        assertRefusedAndNothingStored(hooks.post(body, signature));
    }

    @Test
    void refusesASignatureMadeWithAnotherSecret() {
        byte[] body = message(Webhooks.newIgMid()).getBytes(StandardCharsets.UTF_8);

        assertRefusedAndNothingStored(hooks.post(body, WebhookSignature.sign("not-the-app-secret", body)));
        // Meta's own Python sample signs with the verify token (docs/meta-facts.md, "Webhook signatures"): that is not the secret either
        assertRefusedAndNothingStored(hooks.post(body, WebhookSignature.sign(Webhooks.VERIFY_TOKEN, body)));
    }

    @Test
    void refusesADeliveryWithoutTheSignatureHeader() {
        byte[] body = message(Webhooks.newIgMid()).getBytes(StandardCharsets.UTF_8);

        assertRefusedAndNothingStored(hooks.post(body, null));
    }

    @Test
    void refusesTheLegacySha1HeaderAlone() {
        byte[] body = message(Webhooks.newIgMid()).getBytes(StandardCharsets.UTF_8);
        String hex = WebhookSignature.sign(Webhooks.APP_SECRET, body).substring("sha256=".length());

        assertRefusedAndNothingStored(gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + Webhooks.PATH))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature", "sha1=" + hex)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()));
    }

    @Test
    void refusesASignatureWithoutTheSha256Prefix() {
        byte[] body = message(Webhooks.newIgMid()).getBytes(StandardCharsets.UTF_8);
        String hex = WebhookSignature.sign(Webhooks.APP_SECRET, body).substring("sha256=".length());

        assertRefusedAndNothingStored(hooks.post(body, hex));
        assertRefusedAndNothingStored(hooks.post(body, "sha1=" + hex));
    }

    @Test
    void refusesASignatureThatIsNotHex() {
        byte[] body = message(Webhooks.newIgMid()).getBytes(StandardCharsets.UTF_8);
        String hex = WebhookSignature.sign(Webhooks.APP_SECRET, body).substring("sha256=".length());

        assertRefusedAndNothingStored(hooks.post(body, "sha256=" + "zz" + hex.substring(2)));
        assertRefusedAndNothingStored(hooks.post(body, "sha256=" + hex.substring(1)));
        assertRefusedAndNothingStored(hooks.post(body, "sha256="));
    }

    @Test
    void verifiesNonAsciiEscapedAsMetaDoesOverTheRawBytes() {
        String mid = Webhooks.newIgMid();
        // Meta signs the escaped form: "äöå" travels as \u00e4\u00f6\u00e5 (docs/meta-facts.md, "Webhook signatures")
        String escaped = message(mid, "\"Hello\"", "\"\\u00e4\\u00f6\\u00e5\"");
        assertThat(escaped).contains("\\u00e4\\u00f6\\u00e5").doesNotContain("ä");
        byte[] raw = escaped.getBytes(StandardCharsets.US_ASCII);

        // a signature over the decoded text is not Meta's and does not verify
        String decodedSignature = WebhookSignature.sign(Webhooks.APP_SECRET,
                escaped.replace("\\u00e4\\u00f6\\u00e5", "äöå").getBytes(StandardCharsets.UTF_8));
        assertRefusedAndNothingStored(hooks.post(raw, decodedSignature));

        Gateway.Response r = hooks.post(raw, WebhookSignature.sign(Webhooks.APP_SECRET, raw));

        assertThat(r.status()).isEqualTo(200);
        assertThat(awaitOneRow().mdata()).isEqualTo("äöå");
    }

    @Test
    void acceptsTheInstagramAppSecretAsASecondSecret() {
        byte[] body = message(Webhooks.newIgMid()).getBytes(StandardCharsets.UTF_8);

        Gateway.Response r = hooks.post(body, WebhookSignature.sign(Webhooks.INSTAGRAM_APP_SECRET, body));

        assertThat(r.status()).isEqualTo(200);
        assertThat(awaitOneRow().mdata()).isEqualTo("Hello");
    }

    @Test
    void refusesEveryDeliveryWhenNoAppSecretIsConfigured(@TempDir Path otherTmp) {
        try (Gateway unconfigured = Gateway.start(db, otherTmp,
                Gateway.env("LINEGATE_VERIFY_TOKEN", Webhooks.VERIFY_TOKEN, "LINEGATE_APP_SECRET", ""))) {
            Webhooks other = new Webhooks(unconfigured);
            byte[] body = Webhooks.igMessage(Gateway.IG_ACCOUNT_ID, IGSID, Webhooks.newIgMid(), System.currentTimeMillis())
                    .getBytes(StandardCharsets.UTF_8);

            assertThat(other.post(body, WebhookSignature.sign(Webhooks.APP_SECRET, body)).status()).isEqualTo(403);
            assertThat(other.post(body, null).status()).isEqualTo(403);
            assertThat(other.inbox()).isEmpty();
            assertThat(other.logRows()).isZero();
        }
    }

    @Test
    void acceptsAReplayOfTheSameSignedBodyButChangesNothingTheSecondTime() {
        String mid = Webhooks.newIgMid();
        String body = message(mid);
        hooks.deliver(body);
        List<Map<String, Object>> once = hooks.snapshot();
        double duplicatesBefore = hooks.events("instagram", "inbound", "duplicate");

        hooks.deliver(body);

        assertThat(hooks.snapshot()).isEqualTo(once);
        assertThat(hooks.rows(line.id())).singleElement().satisfies(row -> assertThat(row.metaMessageId()).contains(mid));
        assertThat(hooks.inbox()).hasSize((int) inboxBefore + 2).allSatisfy(i -> assertThat(i.processedAt()).isNotNull());
        assertThat(hooks.events("instagram", "inbound", "duplicate")).isEqualTo(duplicatesBefore + 1);
        assertThat(gw.stores().log().list(Optional.empty(), 1000)).hasSize((int) rowsBefore + 1);
    }
}
