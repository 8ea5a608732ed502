package linegate.http;

import linegate.store.LineChanges;
import linegate.store.LineClass;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Tenant;
import linegate.testing.Webhooks;
import linegate.testing.TestDb;
import linegate.testing.Together;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Idempotent msg_id (docs/status-codes.md, Idempotency): a repeat answers the earlier attempt without calling Meta again
 * while that attempt succeeded, waits for Meta (291) or has an unknown outcome (280); after a failed attempt a new one is
 * made. Scoped per account, and race-free for concurrent requests. Both databases; Meta is WireMock.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class IdempotencyTest {
    static final String IGSID = "1254477777772919";
    /** Linegate's Graph timeout in this class: Meta answering later than this is "no answer" (280). */
    static final Duration GRAPH_TIMEOUT = Duration.ofMillis(1000);

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Gateway gw;

    @BeforeEach
    void start() {
        gw = Gateway.start(db, tmp, Gateway.env("LINEGATE_GRAPH_TIMEOUT_MS", Long.toString(GRAPH_TIMEOUT.toMillis())));
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    /** MakeInstagram on the gateway's own line, with this msg_id (none when null). */
    private Gateway.Response send(String msgId) {
        return sendJson(gw.sendJson(body(msgId)));
    }

    private Gateway.Response sendJson(String json) {
        return gw.postJson("/api/v2/MakeInstagram.php", json);
    }

    private static String body(String msgId) {
        return "\"dest\":\"" + IGSID + "\",\"mdata\":\"Your order has shipped\"" + (msgId == null ? "" : ",\"msg_id\":\"" + msgId + "\"");
    }

    private List<LogRow> rowsWithMsgId(long accountId, String msgId) {
        return gw.stores().log().list(Optional.of(accountId), 1000).stream()
                .filter(r -> r.msgId().equals(Optional.of(msgId)))
                .toList();
    }

    private int graphCalls() {
        return MetaStubs.graphCalls(gw.meta());
    }

    @Test
    void aRepeatAfterMetaAcceptedAnswersTheOriginalSuccessWithoutCallingMetaAgain() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response first = send("crm-1");
        Gateway.Response repeat = send("crm-1");
        Gateway.Response again = send("crm-1");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.ret().has("duplicate")).isFalse();
        for (Gateway.Response r : List.of(repeat, again)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.ret().path("status").asText()).isEqualTo("OK");
            assertThat(r.ret().path("duplicate").isBoolean()).isTrue();
            assertThat(r.ret().path("duplicate").asBoolean()).isTrue();
            assertThat(r.ret().path("messageId").asText()).isEqualTo(first.ret().path("messageId").asText()).isNotEmpty();
            assertThat(r.ret().path("cdls_id").asLong()).isEqualTo(first.ret().path("cdls_id").asLong());
        }
        assertThat(graphCalls()).isEqualTo(1);
        assertThat(rowsWithMsgId(gw.accountId, "crm-1")).singleElement()
                .satisfies(row -> assertThat(row.state()).isEqualTo(LogState.SENT));
    }

    @Test
    void aRepeatAfterTheMessageWasDeliveredAndReadStillAnswersTheOriginalSuccess() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        Gateway.Response first = send("crm-6");
        long cdlsId = first.ret().path("cdls_id").asLong();
        for (String state : List.of("delivered", "read")) {
            // what Meta's delivery and read webhooks do to the row
            gw.stores().db().call(h -> h.createUpdate("UPDATE message_log SET state = :state WHERE id = :id")
                    .bind("state", state).bind("id", cdlsId).execute());

            Gateway.Response repeat = send("crm-6");

            assertThat(repeat.statusCode()).as(state).isEqualTo(200);
            assertThat(repeat.ret().path("duplicate").asBoolean()).as(state).isTrue();
            assertThat(repeat.ret().path("cdls_id").asLong()).isEqualTo(cdlsId);
            assertThat(repeat.ret().path("messageId").asText()).isEqualTo(first.ret().path("messageId").asText());
        }
        assertThat(graphCalls()).isEqualTo(1);
    }

    @Test
    void aRepeatWhileTheFirstAttemptWaitsForMetaAnswers291WithItsCdlsId() throws Exception {
        MetaStubs.answersAfter(gw.meta(), Duration.ofMillis(400), 200, MetaSamples.read("ig-send-success.doc.json"));
        CompletableFuture<Gateway.Response> first = CompletableFuture.supplyAsync(() -> send("crm-2"));
        MetaStubs.awaitGraphCalls(gw.meta(), 1);
        LogRow inFlight = gw.stores().log().findNewestByMsgId(gw.accountId, "crm-2").orElseThrow();
        assertThat(inFlight.state()).isEqualTo(LogState.ACCEPTED);

        Gateway.Response repeat = send("crm-2");

        assertThat(repeat.status()).isEqualTo(409);
        assertThat(repeat.statusCode()).isEqualTo(291);
        assertThat(repeat.ret().path("status").asText()).isEqualTo("Duplicate msg_id in progress");
        assertThat(repeat.ret().path("cdls_id").asLong()).isEqualTo(inFlight.id());
        assertThat(repeat.ret().has("messageId")).isFalse();

        Gateway.Response firstAnswer = first.get(10, TimeUnit.SECONDS);
        assertThat(firstAnswer.statusCode()).isEqualTo(200);
        assertThat(firstAnswer.ret().path("cdls_id").asLong()).isEqualTo(inFlight.id());
        Gateway.Response afterwards = send("crm-2");
        assertThat(afterwards.statusCode()).isEqualTo(200);
        assertThat(afterwards.ret().path("duplicate").asBoolean()).isTrue();
        assertThat(afterwards.ret().path("cdls_id").asLong()).isEqualTo(inFlight.id());
        assertThat(graphCalls()).isEqualTo(1);
        assertThat(rowsWithMsgId(gw.accountId, "crm-2")).hasSize(1);
    }

    @Test
    void aRepeatAfterAFailedAttemptMakesANewAttempt() {
        gw.metaAnswers(400, MetaSamples.read("error-envelope-messenger-common.doc.json"));
        Gateway.Response failed = send("crm-3");
        MetaStubs.answers(gw.meta(), MetaStubs.answer(200, MetaSamples.read("ig-send-success.doc.json")));

        Gateway.Response retry = send("crm-3");
        Gateway.Response repeatOfRetry = send("crm-3");

        assertThat(failed.statusCode()).isEqualTo(250);
        long failedId = failed.ret().path("cdls_id").asLong();
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.ret().has("duplicate")).isFalse();
        long retryId = retry.ret().path("cdls_id").asLong();
        assertThat(retryId).isNotEqualTo(failedId);
        assertThat(repeatOfRetry.ret().path("duplicate").asBoolean()).isTrue();
        assertThat(repeatOfRetry.ret().path("cdls_id").asLong()).isEqualTo(retryId);
        assertThat(graphCalls()).isEqualTo(2);
        assertThat(rowsWithMsgId(gw.accountId, "crm-3")).extracting(LogRow::id, LogRow::state)
                .containsExactlyInAnyOrder(tuple(failedId, LogState.FAILED),
                        tuple(retryId, LogState.SENT));
    }

    @Test
    void aRefusalBeforeMetaDoesNotHoldTheMsgId() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        long bare = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.INSTAGRAM, Optional.empty(),
                Optional.of(Webhooks.newId("178414")), Optional.empty(), true, false));
        String json = "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + bare + "," + body("crm-5") + "}";

        Gateway.Response refused = sendJson(json);
        gw.stores().lines().update(bare, new LineChanges(Optional.of(new PageAccessToken("EAAGlateTokenForTheLine0123")),
                Optional.empty(), Optional.empty()));
        Gateway.Response sent = sendJson(json);

        assertThat(refused.statusCode()).isEqualTo(233);
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(sent.ret().has("duplicate")).isFalse();
        assertThat(sent.ret().path("cdls_id").asLong()).isNotEqualTo(refused.ret().path("cdls_id").asLong());
        assertThat(graphCalls()).isEqualTo(1);
    }

    @Test
    void aRepeatAfterAnUnknownDeliveryAnswers280WithTheSameCdlsIdWithoutCallingMetaAgain() {
        MetaStubs.answersAfter(gw.meta(), GRAPH_TIMEOUT.multipliedBy(2), 200, MetaSamples.read("ig-send-success.doc.json"));
        Gateway.Response timedOut = send("crm-4");
        assertThat(timedOut.status()).isEqualTo(504);
        assertThat(timedOut.statusCode()).isEqualTo(280);
        long cdlsId = timedOut.ret().path("cdls_id").asLong();
        assertThat(gw.stores().log().find(cdlsId).orElseThrow().state()).isEqualTo(LogState.UNKNOWN);
        // Meta is quick again: a resend would now go through, and might deliver the message twice
        MetaStubs.answers(gw.meta(), MetaStubs.answer(200, MetaSamples.read("ig-send-success.doc.json")));

        Gateway.Response repeat = send("crm-4");

        assertThat(repeat.status()).isEqualTo(504);
        assertThat(repeat.statusCode()).isEqualTo(280);
        assertThat(repeat.ret().path("status").asText()).isEqualTo("Meta API unreachable");
        assertThat(repeat.ret().path("cdls_id").asLong()).isEqualTo(cdlsId);
        assertThat(graphCalls()).isEqualTo(1);
        assertThat(rowsWithMsgId(gw.accountId, "crm-4")).hasSize(1);
    }

    @Test
    void twoAccountsMayUseTheSameMsgIdIndependently() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        Tenant other = Tenant.newAccount(gw, "Other Clinic", LineClass.INSTAGRAM, "EAAGotherClinicPageToken0123");

        Gateway.Response ours = send("shared-7");
        Gateway.Response theirs = sendJson(other.sendJson(body("shared-7")));
        Gateway.Response theirRepeat = sendJson(other.sendJson(body("shared-7")));
        Gateway.Response ourRepeat = send("shared-7");

        assertThat(ours.statusCode()).isEqualTo(200);
        assertThat(theirs.statusCode()).isEqualTo(200);
        assertThat(ours.ret().has("duplicate")).isFalse();
        assertThat(theirs.ret().has("duplicate")).isFalse();
        assertThat(theirs.ret().path("cdls_id").asLong()).isNotEqualTo(ours.ret().path("cdls_id").asLong());
        assertThat(theirRepeat.ret().path("duplicate").asBoolean()).isTrue();
        assertThat(theirRepeat.ret().path("cdls_id").asLong()).isEqualTo(theirs.ret().path("cdls_id").asLong());
        assertThat(ourRepeat.ret().path("duplicate").asBoolean()).isTrue();
        assertThat(ourRepeat.ret().path("cdls_id").asLong()).isEqualTo(ours.ret().path("cdls_id").asLong());
        assertThat(graphCalls()).isEqualTo(2);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withHeader("Authorization", equalTo("Bearer " + other.pageToken())));
        assertThat(rowsWithMsgId(gw.accountId, "shared-7")).hasSize(1);
        assertThat(rowsWithMsgId(other.accountId(), "shared-7")).hasSize(1);
    }

    @Test
    void sendsWithoutAMsgIdAreNeverDeduplicated() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response one = send(null);
        Gateway.Response two = send(null);
        Gateway.Response emptyOne = send("");
        Gateway.Response emptyTwo = send(""); // an empty string counts as missing

        assertThat(List.of(one, two, emptyOne, emptyTwo)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.ret().has("duplicate")).isFalse();
        });
        assertThat(List.of(one, two, emptyOne, emptyTwo)).extracting(r -> r.ret().path("cdls_id").asLong())
                .doesNotHaveDuplicates();
        assertThat(graphCalls()).isEqualTo(4);
    }

    @Test
    void aDuplicateIsAnsweredBeforeTheLinesLocalLimit() {
        gw.close();
        gw = Gateway.start(db, tmp.resolve("limited"), Gateway.env(
                "LINEGATE_GRAPH_TIMEOUT_MS", Long.toString(GRAPH_TIMEOUT.toMillis()), "LINEGATE_LINE_SENDS_PER_SECOND", "1"));
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response first = send("crm-10");
        Gateway.Response repeat = send("crm-10");
        Gateway.Response limited = send("crm-11"); // the line's one send of this second is spent

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(repeat.ret().path("duplicate").asBoolean()).isTrue();
        assertThat(limited.statusCode()).isEqualTo(260);
        assertThat(limited.ret().path("retry_after").asLong()).isPositive();
        assertThat(gw.stores().log().find(limited.ret().path("cdls_id").asLong()).orElseThrow().state())
                .isEqualTo(LogState.FAILED);
        assertThat(graphCalls()).isEqualTo(1);
    }

    @Test
    void theMsgIdIsSharedByBothChannelsOfAnAccount() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        Tenant messenger = Tenant.newLine(gw, LineClass.MESSENGER, "EAAGmessengerLinePageToken0123");

        Gateway.Response onInstagram = send("crm-8");
        Gateway.Response onMessenger = gw.postJson("/api/v2/MakeMessenger.php", messenger.sendJson(body("crm-8")));

        assertThat(onInstagram.statusCode()).isEqualTo(200);
        // the same msg_id on another line is another message (recipient ids are scoped to a Page): refused, not sent
        assertThat(onMessenger.statusCode()).isEqualTo(292);
        assertThat(onMessenger.status()).isEqualTo(422);
        assertThat(onMessenger.ret().path("cdls_id").asLong()).isEqualTo(onInstagram.ret().path("cdls_id").asLong());
        assertThat(graphCalls()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"dest\":\"1254477777772919\",\"mdata\":\"Your order has been cancelled\"",
            "\"dest\":\"9254477777772919\",\"mdata\":\"Your order has shipped\"",
            "\"dest\":\"1254477777772919\",\"mtype\":\"image\",\"mdata\":\"https://cdn.example.com/shipped.png\""})
    void aMsgIdReusedWithDifferentContentAnswers292AndSendsNothing(String different) {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        Gateway.Response first = send("crm-reused");

        Gateway.Response reused = sendJson(gw.sendJson(different + ",\"msg_id\":\"crm-reused\""));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.statusCode()).isEqualTo(292);
        assertThat(reused.ret().path("status").asText()).isEqualTo("msg_id reused with different content");
        assertThat(reused.ret().path("cdls_id").asLong()).isEqualTo(first.ret().path("cdls_id").asLong());
        assertThat(reused.raw()).doesNotContain("cancelled", "9254477777772919", "shipped.png");
        assertThat(graphCalls()).isEqualTo(1);
        assertThat(rowsWithMsgId(gw.accountId, "crm-reused")).singleElement()
                .satisfies(row -> assertThat(row.mdata()).isEqualTo("Your order has shipped"));
        assertThat(send("crm-reused").ret().path("duplicate").asBoolean()).as("the same content is still a retry").isTrue();
    }

    @Test
    void aRowWrittenBeforeRequestHashesKeepsTheDuplicateAnswer() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        Gateway.Response first = send("crm-old");
        gw.execute("UPDATE message_log SET request_hash = NULL");

        Gateway.Response other = sendJson(gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"Something else\","
                + "\"msg_id\":\"crm-old\""));

        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.ret().path("duplicate").asBoolean()).isTrue();
        assertThat(other.ret().path("cdls_id").asLong()).isEqualTo(first.ret().path("cdls_id").asLong());
        assertThat(graphCalls()).isEqualTo(1);
    }

    @Test
    void aBurstOfConcurrentSendsWithOneMsgIdCallsMetaOnce() throws Exception {
        MetaStubs.answersAfter(gw.meta(), Duration.ofMillis(300), 200, MetaSamples.read("ig-send-success.doc.json"));
        int threads = 20;

        List<Gateway.Response> answers = Together.run(threads, i -> send("burst-1"));

        assertThat(graphCalls()).isEqualTo(1);
        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.raw()).isIn(200, 291));
        List<Gateway.Response> ok = answers.stream().filter(r -> r.statusCode() == 200).toList();
        List<Gateway.Response> inProgress = answers.stream().filter(r -> r.statusCode() == 291).toList();
        assertThat(ok).isNotEmpty();
        assertThat(inProgress).as("with Meta answering after 300 ms, some sends must have found the first in flight")
                .isNotEmpty();
        assertThat(ok).filteredOn(r -> !r.ret().path("duplicate").asBoolean()).hasSize(1);
        assertThat(ok).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        long cdlsId = ok.getFirst().ret().path("cdls_id").asLong();
        String messageId = ok.getFirst().ret().path("messageId").asText();
        assertThat(ok).allSatisfy(r -> {
            assertThat(r.ret().path("cdls_id").asLong()).isEqualTo(cdlsId);
            assertThat(r.ret().path("messageId").asText()).isEqualTo(messageId);
        });
        assertThat(inProgress).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.ret().path("cdls_id").asLong()).isEqualTo(cdlsId);
        });
        assertThat(rowsWithMsgId(gw.accountId, "burst-1")).singleElement()
                .satisfies(row -> assertThat(row.state()).isEqualTo(LogState.SENT));
    }
}
