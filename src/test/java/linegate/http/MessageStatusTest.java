package linegate.http;

import com.fasterxml.jackson.databind.JsonNode;
import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Tenant;
import linegate.testing.Webhooks;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MessageStatus end to end (docs/api.md, "Looking a message up"): one message of the caller's account by cdls_id or by msg_id (its newest
 * attempt), from the query string or a body, with every field and ISO-8601 UTC timestamps; another account's message is
 * as absent as a missing one. Both databases.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class MessageStatusTest {
    static final String STATUS = "/api/v2/MessageStatus.php";
    static final String IGSID = "1254477777772919";
    static final String ISO_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z";
    static final List<String> FIELDS = List.of("cdls_id", "msg_id", "app_id", "channel", "direction", "origin", "dest", "mtype",
            "state", "messageId", "error", "created_at", "sent_at", "delivered_at", "read_at", "deleted_at");

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Gateway gw;

    @BeforeEach
    void start() {
        gw = Gateway.start(db, tmp);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private Gateway.Response send(String msgId, String mdata) {
        return gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"" + mdata + "\""
                + (msgId == null ? "" : ",\"msg_id\":\"" + msgId + "\"")));
    }

    private Gateway.Response status(String tsid, String query) {
        return gw.get(STATUS + "?tsid=" + enc(tsid) + "&" + query);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void findsAMessageByCdlsIdWithEveryFieldAndIsoUtcTimestamps() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        Instant before = Instant.now().minusSeconds(1);
        Gateway.Response sent = send("crm-42", "Thanks for reaching out!");
        long cdlsId = sent.ret().path("cdls_id").asLong();

        Gateway.Response r = status(gw.tsid, "cdls_id=" + cdlsId);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.ret().path("status").asText()).isEqualTo("OK");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode m = r.ret().path("message");
        assertThat(FIELDS).allSatisfy(f -> assertThat(m.has(f)).as("field " + f).isTrue());
        assertThat(m.path("cdls_id").isIntegralNumber()).isTrue();
        assertThat(m.path("cdls_id").asLong()).isEqualTo(cdlsId);
        assertThat(m.path("msg_id").asText()).isEqualTo("crm-42");
        assertThat(m.path("app_id").asLong()).isEqualTo(gw.lineId);
        assertThat(m.path("channel").asText()).isEqualTo("instagram");
        assertThat(m.path("direction").asText()).isEqualTo("out");
        assertThat(m.path("dest").asText()).isEqualTo(IGSID);
        assertThat(m.path("mtype").asText()).isEqualTo("text");
        assertThat(m.path("state").asText()).isEqualTo("sent");
        assertThat(m.path("messageId").asText()).isEqualTo(sent.ret().path("messageId").asText()).isNotEmpty();
        assertThat(m.path("error").isNull()).isTrue();
        assertThat(m.path("created_at").asText()).matches(ISO_UTC);
        assertThat(m.path("sent_at").asText()).matches(ISO_UTC);
        Instant created = Instant.parse(m.path("created_at").asText());
        assertThat(created).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(Instant.parse(m.path("sent_at").asText())).isAfterOrEqualTo(created);
        assertThat(m.path("delivered_at").isNull()).isTrue();
        assertThat(m.path("read_at").isNull()).isTrue();
    }

    @Test
    void reportsDeliveryAndReadTimesInIsoUtc() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        long cdlsId = send("crm-43", "hello").ret().path("cdls_id").asLong();
        long delivered = Instant.parse("2026-11-25T10:15:31.250Z").toEpochMilli();
        long read = Instant.parse("2026-11-25T10:16:00Z").toEpochMilli();
        // what Meta's delivery and read webhooks record
        gw.stores().db().call(h -> h.createUpdate("""
                        UPDATE message_log SET state = 'read', delivered_at = :delivered, read_at = :read WHERE id = :id""")
                .bind("delivered", delivered).bind("read", read).bind("id", cdlsId).execute());

        JsonNode m = status(gw.tsid, "msg_id=crm-43").ret().path("message");

        assertThat(m.path("state").asText()).isEqualTo("read");
        assertThat(m.path("delivered_at").asText()).isEqualTo("2026-11-25T10:15:31.250Z");
        assertThat(m.path("read_at").asText()).matches(ISO_UTC);
        assertThat(Instant.parse(m.path("read_at").asText()).toEpochMilli()).isEqualTo(read);
    }

    @Test
    void findsByMsgIdTheNewestAttemptAfterAFailedOne() {
        gw.metaAnswers(400, MetaSamples.read("error-envelope-messenger-common.doc.json"));
        Gateway.Response failed = send("crm-7", "first try");
        MetaStubs.answers(gw.meta(), MetaStubs.answer(200, MetaSamples.read("ig-send-success.doc.json")));
        Gateway.Response succeeded = send("crm-7", "second try");
        assertThat(failed.statusCode()).isEqualTo(250);
        assertThat(succeeded.statusCode()).isEqualTo(200);
        long failedId = failed.ret().path("cdls_id").asLong();
        long succeededId = succeeded.ret().path("cdls_id").asLong();
        assertThat(succeededId).isNotEqualTo(failedId);

        JsonNode newest = status(gw.tsid, "msg_id=crm-7").ret().path("message");
        JsonNode first = status(gw.tsid, "cdls_id=" + failedId).ret().path("message");

        assertThat(newest.path("cdls_id").asLong()).isEqualTo(succeededId);
        assertThat(newest.path("state").asText()).isEqualTo("sent");
        assertThat(newest.path("error").isNull()).isTrue();
        assertThat(first.path("cdls_id").asLong()).isEqualTo(failedId);
        assertThat(first.path("msg_id").asText()).isEqualTo("crm-7");
        assertThat(first.path("state").asText()).isEqualTo("failed");
    }

    @Test
    void errorCarriesStatusAndMetasErrorAfterAMetaRefusal() {
        gw.metaAnswers(400, MetaSamples.read("error-envelope-messenger-common.doc.json"));
        long cdlsId = send(null, "hello").ret().path("cdls_id").asLong();

        JsonNode m = status(gw.tsid, "cdls_id=" + cdlsId).ret().path("message");

        assertThat(m.path("state").asText()).isEqualTo("failed");
        assertThat(m.path("messageId").isNull()).isTrue();
        assertThat(m.path("sent_at").isNull()).isTrue();
        assertThat(m.path("msg_id").isNull()).isTrue();
        JsonNode error = m.path("error");
        assertThat(error.path("status_code").asInt()).isEqualTo(250);
        assertThat(error.path("status").asText()).isEqualTo("Page access token rejected");
        JsonNode meta = error.path("meta_error");
        assertThat(meta.path("code").asInt()).isEqualTo(190);
        assertThat(meta.path("subcode").asInt()).isEqualTo(1234567);
        assertThat(meta.path("type").asText()).isEqualTo("OAuthException");
        assertThat(meta.path("message").asText()).isEqualTo("Invalid OAuth access token.");
        assertThat(meta.path("fbtrace_id").asText()).isEqualTo("BLBz/WZt8dN");
    }

    @Test
    void aLocalRefusalHasAnErrorWithoutMetasError() {
        long bare = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.INSTAGRAM, Optional.empty(),
                Optional.of(Webhooks.newId("178414")), Optional.empty(), true, false));
        Gateway.Response refused = gw.postJson("/api/v2/MakeInstagram.php",
                "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + bare + ",\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\"}");
        assertThat(refused.statusCode()).isEqualTo(233);

        JsonNode m = status(gw.tsid, "cdls_id=" + refused.ret().path("cdls_id").asLong()).ret().path("message");

        assertThat(m.path("state").asText()).isEqualTo("failed");
        assertThat(m.path("app_id").asLong()).isEqualTo(bare);
        assertThat(m.path("error").path("status_code").asInt()).isEqualTo(233);
        assertThat(m.path("error").path("status").asText()).isEqualTo("No page access token");
        assertThat(m.path("error").has("meta_error")).isTrue();
        assertThat(m.path("error").path("meta_error").isNull()).isTrue();
        assertThat(MetaStubs.graphCalls(gw.meta())).isZero();
    }

    @Test
    void acceptsAPostWithAJsonBodyAndTheBearerHeader() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        long cdlsId = send("crm-9", "hello").ret().path("cdls_id").asLong();
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + gw.tsid);

        Gateway.Response byCdlsId = gw.post(STATUS, "application/json", "{\"cdls_id\":" + cdlsId + "}", bearer);
        Gateway.Response byMsgId = gw.post("/api/v2/MessageStatus", "application/json", "{\"msg_id\":\"crm-9\"}", bearer);
        Gateway.Response byForm = gw.post(STATUS, "application/x-www-form-urlencoded",
                "tsid=" + enc(gw.tsid) + "&cdls_id=" + cdlsId, Map.of());
        Gateway.Response getWithoutPhp = gw.send(HttpRequest.newBuilder(
                        URI.create(gw.baseUrl() + "/api/v2/MessageStatus?cdls_id=" + cdlsId))
                .header("Authorization", "Bearer " + gw.tsid).GET().build());

        for (Gateway.Response r : List.of(byCdlsId, byMsgId, byForm, getWithoutPhp)) {
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.ret().path("message").path("cdls_id").asLong()).isEqualTo(cdlsId);
            assertThat(r.ret().path("message").path("msg_id").asText()).isEqualTo("crm-9");
        }
        assertThat(byCdlsId.ret().path("message")).isEqualTo(byMsgId.ret().path("message"));
    }

    @Test
    void anotherAccountsMessageAnswers235ExactlyLikeAMissingOne() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        Tenant other = Tenant.newAccount(gw, "Other Clinic", LineClass.INSTAGRAM, "EAAGotherClinicPageToken0123");
        Gateway.Response theirs = gw.postJson("/api/v2/MakeInstagram.php",
                other.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\",\"msg_id\":\"their-ref\""));
        long theirId = theirs.ret().path("cdls_id").asLong();
        assertThat(status(other.tsid(), "cdls_id=" + theirId).status()).isEqualTo(200); // it exists, for its owner

        Gateway.Response foreignId = status(gw.tsid, "cdls_id=" + theirId);
        Gateway.Response missingId = status(gw.tsid, "cdls_id=" + (theirId + 1000));
        Gateway.Response foreignRef = status(gw.tsid, "msg_id=their-ref");
        Gateway.Response missingRef = status(gw.tsid, "msg_id=never-sent");

        assertThat(foreignId.status()).isEqualTo(404);
        assertThat(foreignId.statusCode()).isEqualTo(235);
        assertThat(foreignId.ret().path("status").asText()).isEqualTo("Message not found");
        assertThat(foreignId.raw()).isEqualTo(missingId.raw()).doesNotContain(Long.toString(theirId));
        assertThat(foreignRef.status()).isEqualTo(404);
        assertThat(foreignRef.statusCode()).isEqualTo(235);
        assertThat(foreignRef.raw()).isEqualTo(missingRef.raw()).isEqualTo(missingId.raw());
        assertThat(missingId.status()).isEqualTo(404);
        assertThat(missingRef.status()).isEqualTo(404);
    }

    @Test
    void answers236WhenNeitherIdIsGiven() {
        Gateway.Response none = gw.get(STATUS + "?tsid=" + enc(gw.tsid));
        Gateway.Response empty = status(gw.tsid, "cdls_id=&msg_id=");
        Gateway.Response post = gw.post(STATUS, "application/json", "{\"tsid\":\"" + gw.tsid + "\"}", Map.of());

        for (Gateway.Response r : List.of(none, empty, post)) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.statusCode()).isEqualTo(236);
            assertThat(r.ret().path("status").asText()).isEqualTo("No cdls_id or msg_id");
        }
    }

    @Test
    void answers100WithoutATokenAnd101WithAnUnknownOne() {
        Gateway.Response noToken = gw.get(STATUS + "?cdls_id=1");
        Gateway.Response unknown = status("lgt_not-a-real-token", "cdls_id=1");

        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.statusCode()).isEqualTo(100);
        assertThat(noToken.ret().path("status").asText()).isEqualTo("No tsid");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(101);
    }

    @Test
    void answers400ForACdlsIdThatIsNotANumber() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        long cdlsId = send("crm-1", "hello").ret().path("cdls_id").asLong();

        for (String raw : List.of("abc", cdlsId + "abc", "-" + cdlsId, cdlsId + ".0", "99999999999999999999999")) {
            Gateway.Response r = status(gw.tsid, "cdls_id=" + enc(raw));
            assertThat(r.status()).as(raw).isEqualTo(400);
            assertThat(r.statusCode()).as(raw).isEqualTo(297);
            assertThat(r.ret().path("status").asText()).isEqualTo("Invalid cdls_id");
            assertThat(r.ret().path("detail").asText()).contains("positive integer", "msg_id");
        }
        Gateway.Response raw = gw.sendRaw("GET", "/api/v2/MessageStatus.php?cdls_id=abc",
                Map.of("Authorization", "Bearer " + gw.tsid), new byte[0]);
        assertThat(raw.status()).isEqualTo(400);
        assertThat(raw.body().path("return").path("status_code").asInt()).isEqualTo(297);
    }

    @Test
    void aCdlsIdWinsOverAMsgIdAndAMessengerMessageSaysItsChannel() {
        gw.metaAnswers(200, MetaSamples.read("messenger-send-success.doc.json"));
        Tenant messenger = Tenant.newLine(gw, LineClass.MESSENGER, "EAAGmessengerLinePageToken0123");
        long messengerId = gw.postJson("/api/v2/MakeMessenger.php", messenger.sendJson(
                "\"dest\":\"5275811702471834\",\"mtype\":\"file\",\"mdata\":\"https://cdn.example.com/a.pdf\","
                        + "\"msg_id\":\"m-1\"")).ret().path("cdls_id").asLong();
        send("ig-1", "hello");

        JsonNode m = status(gw.tsid, "cdls_id=" + messengerId + "&msg_id=ig-1").ret().path("message");

        assertThat(m.path("cdls_id").asLong()).isEqualTo(messengerId);
        assertThat(m.path("channel").asText()).isEqualTo("messenger");
        assertThat(m.path("app_id").asLong()).isEqualTo(messenger.lineId());
        assertThat(m.path("mtype").asText()).isEqualTo("file");
        assertThat(m.path("messageId").asText()).isEqualTo("AG5Hz2U...");
    }
}
