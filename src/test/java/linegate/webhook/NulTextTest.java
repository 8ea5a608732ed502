package linegate.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import linegate.store.LogRow;
import linegate.store.StoredText;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text holding NUL (U+0000), which PostgreSQL refuses in text columns: a customer's message is logged once and reads
 * back with its NUL, a send's mdata too, and a delivery that cannot be applied is counted even when its failure
 * cannot be recorded, so it never stays in the inbox to be retried forever.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class NulTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATUS = "/api/v2/MessageStatus.php";
    private static final String TEXT = "before\u0000after \uFFFF0 end";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    @Test
    void aCustomersMessageWithNulIsAppliedOnceAndReadsBackWithItsNul() throws Exception {
        try (Gateway gw = Gateway.start(db, tmp, Webhooks.env())) {
            Webhooks hooks = new Webhooks(gw);
            String mid = Webhooks.newIgMid();
            String delivery = Webhooks.igMessage(Gateway.IG_ACCOUNT_ID, Webhooks.newId("125447"), mid,
                    System.currentTimeMillis() - 5_000, "\"Hello\"", JSON.writeValueAsString(TEXT));
            assertThat(delivery).contains("\\u0000");

            hooks.deliver(delivery);
            hooks.deliver(delivery); // Meta's redelivery changes nothing

            List<LogRow> rows = hooks.rows(gw.lineId);
            assertThat(rows).singleElement().satisfies(r -> assertThat(escaped(r.mdata())).isEqualTo(escaped(TEXT)));
            assertThat(hooks.inbox()).hasSize(2).allSatisfy(in -> {
                assertThat(in.processedAt()).isNotNull();
                assertThat(in.attempts()).isEqualTo(1);
                assertThat(in.lastError()).isNull();
            });
            assertThat(StoredText.decode(hooks.inbox().getFirst().body())).isEqualTo(delivery);
            Gateway.Response status = status(gw, rows.getFirst().id());
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.ret().path("message").path("mdata").asText()).isEqualTo(TEXT);
            assertThat(status.ret().path("message").path("messageId").asText()).isEqualTo(mid);
        }
    }

    @Test
    void aSendWithNulInMdataIsRefusedAsMalformedWithoutCallingMeta() {
        try (Gateway gw = Gateway.start(db, tmp)) {
            gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

            Gateway.Response r = gw.postJson("/api/v2/MakeInstagram.php",
                    gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"a\\u0000b\""));

            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(gw.meta().findAll(postRequestedFor(urlPathEqualTo(Gateway.GRAPH_PATH)))).isEmpty();
            assertThat(gw.rows()).isEmpty();
        }
    }

    @Test
    void aDeliveryWhoseFailureCannotBeRecordedStillUsesUpAnAttempt() {
        try (Gateway gw = Gateway.start(db, tmp, Webhooks.env())) {
            Webhooks hooks = new Webhooks(gw);
            // applying fails, and so does writing that failure's text: the failure path must not fail the same way
            refuseInboundRows(gw);
            refuseInboxErrorText(gw);

            hooks.deliver(Webhooks.igMessage(Gateway.IG_ACCOUNT_ID, Webhooks.newId("125447"), Webhooks.newIgMid(),
                    System.currentTimeMillis() - 5_000, "\"Hello\"", JSON.valueToTree(TEXT).toString()));

            assertThat(hooks.inbox()).singleElement().satisfies(in -> {
                assertThat(in.attempts()).isEqualTo(1);
                assertThat(in.processedAt()).isNull();
                assertThat(in.lastError()).isNull();
            });
        }
    }

    @Test
    void theRecordedErrorQuotesNeitherTheMessageNorAControlCharacter() {
        try (Gateway gw = Gateway.start(db, tmp, Webhooks.env())) {
            Webhooks hooks = new Webhooks(gw);
            refuseInboundRows(gw);

            hooks.deliver(Webhooks.igMessage(Gateway.IG_ACCOUNT_ID, Webhooks.newId("125447"), Webhooks.newIgMid(),
                    System.currentTimeMillis() - 5_000, "\"Hello\"", JSON.valueToTree(TEXT).toString()));

            assertThat(hooks.inbox()).singleElement().satisfies(in -> {
                assertThat(in.attempts()).isEqualTo(1);
                assertThat(in.lastError()).contains("inbound rows refused by the test")
                        .doesNotContain("before").doesNotContain("after")
                        .hasSizeLessThanOrEqualTo(WebhookProcessor.MAX_ERROR_CHARS);
                assertThat(in.lastError().chars()).noneMatch(c -> c < 0x20 || c == 0xFFFF);
            });
        }
    }

    private void refuseInboundRows(Gateway gw) {
        if (db == TestDb.SQLITE) {
            execute(gw, "CREATE TRIGGER refuse_inbound BEFORE INSERT ON message_log WHEN NEW.direction = 'in'"
                    + " BEGIN SELECT RAISE(ABORT, 'inbound rows refused by the test'); END");
        } else {
            execute(gw, "CREATE FUNCTION refuse_inbound() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " RAISE EXCEPTION 'inbound rows refused by the test'; END; $$");
            execute(gw, "CREATE TRIGGER refuse_inbound BEFORE INSERT ON message_log FOR EACH ROW"
                    + " WHEN (NEW.direction = 'in') EXECUTE FUNCTION refuse_inbound()");
        }
    }

    private void refuseInboxErrorText(Gateway gw) {
        if (db == TestDb.SQLITE) {
            execute(gw, "CREATE TRIGGER refuse_error BEFORE UPDATE ON webhook_inbox WHEN NEW.last_error IS NOT NULL"
                    + " BEGIN SELECT RAISE(ABORT, 'error text refused by the test'); END");
        } else {
            execute(gw, "CREATE FUNCTION refuse_error() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " RAISE EXCEPTION 'error text refused by the test'; END; $$");
            execute(gw, "CREATE TRIGGER refuse_error BEFORE UPDATE ON webhook_inbox FOR EACH ROW"
                    + " WHEN (NEW.last_error IS NOT NULL) EXECUTE FUNCTION refuse_error()");
        }
    }

    private static void execute(Gateway gw, String sql) {
        gw.stores().db().call(h -> h.execute(sql));
    }

    /** Java's escapes for what assertion messages cannot show. */
    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }

    private static Gateway.Response status(Gateway gw, long cdlsId) {
        return gw.get(STATUS + "?tsid=" + URLEncoder.encode(gw.tsid, StandardCharsets.UTF_8) + "&cdls_id=" + cdlsId);
    }
}
