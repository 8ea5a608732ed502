package linegate.queue;

import com.fasterxml.jackson.databind.JsonNode;
import linegate.store.LineClass;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Tenant;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static linegate.queue.QueuedSends.awaitFinal;
import static linegate.queue.QueuedSends.queue;
import static linegate.queue.QueuedSends.received;
import static linegate.queue.QueuedSends.status;
import static linegate.queue.QueuedSends.statusEvents;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queued sends end to end (docs/api.md, "Queued sends"): async=1 answers 202 with 207 once the row is durable, after
 * the same checks as a direct send up to 291; a worker sends it, in order per conversation, paced by the line's
 * budget; its result is a message.status event and MessageStatus shows its attempts. Real server, both databases,
 * WireMock as Meta.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class QueuedSendsTest {
    static final String PEER_A = "1254477777772919";
    static final String PEER_B = "6254477777772911";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Gateway gw;

    private Gateway start(Map<String, String> env) {
        gw = Gateway.start(db, tmp, env);
        return gw;
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void answers202With207AndTheCdlsIdOnceTheRowIsDurableThenSendsItAndReportsAnEvent() throws Exception {
        start(Map.of());
        MetaStubs.answersAfter(gw.meta(), Duration.ofMillis(300), 200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response r = gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"" + PEER_A
                + "\",\"mdata\":\"Your order has shipped\",\"async\":1"));

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.ret().path("status").asText()).isEqualTo("Queued");
        assertThat(r.ret().path("status_code").asInt()).isEqualTo(207);
        assertThat(r.ret().has("messageId")).isFalse();
        assertThat(r.ret().has("duplicate")).isFalse();
        long cdlsId = r.ret().path("cdls_id").asLong();
        try (Connection c = gw.connect(); PreparedStatement st = c.prepareStatement(
                "SELECT state FROM message_log WHERE id = ?")) {
            st.setLong(1, cdlsId);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("the row is committed before the 202, seen from another connection").isTrue();
                assertThat(rs.getString(1)).isIn("queued", "accepted");
            }
        }

        LogRow row = awaitFinal(gw, cdlsId);
        assertThat(row.state()).isEqualTo(LogState.SENT);
        JsonNode message = status(gw, cdlsId);
        assertThat(message.path("state").asText()).isEqualTo("sent");
        assertThat(message.path("attempts").asInt()).isEqualTo(1);
        assertThat(message.path("messageId").asText()).isNotEmpty();
        assertThat(statusEvents(gw, cdlsId)).containsExactly("sent");
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
        // the worker frees its slot just after it records the result the test has seen
        long deadline = System.nanoTime() + 5_000_000_000L;
        String metrics = gw.get("/metrics").raw();
        while (!metrics.contains("linegate_queue_in_flight 0.0") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            metrics = gw.get("/metrics").raw();
        }
        assertThat(metrics).contains("linegate_queue_depth 0.0", "linegate_queue_in_flight 0.0",
                "linegate_queue_attempts_total{result=\"sent\"} 1.0",
                "linegate_sends_total{channel=\"instagram\",status_code=\"207\"} 1.0");
    }

    @Test
    void makeMessengerQueuesAsWell() {
        start(Map.of());
        MetaStubs.answersAfter(gw.meta(), Duration.ZERO, 200, MetaSamples.read("messenger-send-success.doc.json"));
        Tenant messenger = Tenant.newLine(gw, LineClass.MESSENGER, "EAAGmessengerQueuedLineToken0123");

        Gateway.Response r = gw.postJson("/api/v2/MakeMessenger.php", messenger.sendJson("\"dest\":\"" + PEER_A
                + "\",\"mdata\":\"Your table is ready\",\"async\":\"1\""));

        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        assertThat(r.statusCode()).isEqualTo(207);
        LogRow row = awaitFinal(gw, r.ret().path("cdls_id").asLong());
        assertThat(row.state()).isEqualTo(LogState.SENT);
        assertThat(row.channel()).isEqualTo(LineClass.MESSENGER);
        assertThat(received(gw.meta())).extracting(QueuedSends.Received::text).containsExactly("Your table is ready");
    }

    @Test
    void asyncIsReadFromEveryParameterSource() {
        start(Map.of());
        MetaStubs.answersAfter(gw.meta(), Duration.ZERO, 200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response form = gw.post("/api/v2/MakeInstagram.php", "application/x-www-form-urlencoded",
                "tsid=" + gw.tsid + "&app_id=" + gw.lineId + "&dest=" + PEER_A + "&mdata=hello&async=true", Map.of());
        Gateway.Response query = gw.postJson("/api/v2/MakeInstagram.php?async=1",
                gw.sendJson("\"dest\":\"" + PEER_A + "\",\"mdata\":\"hello again\""));
        Gateway.Response jsonTrue = gw.postJson("/api/v2/MakeInstagram.php",
                gw.sendJson("\"dest\":\"" + PEER_A + "\",\"mdata\":\"and again\",\"async\":true"));
        Gateway.Response direct = gw.postJson("/api/v2/MakeInstagram.php",
                gw.sendJson("\"dest\":\"" + PEER_A + "\",\"mdata\":\"now\",\"async\":\"0\""));
        Gateway.Response invalid = gw.postJson("/api/v2/MakeInstagram.php",
                gw.sendJson("\"dest\":\"" + PEER_A + "\",\"mdata\":\"now\",\"async\":\"soon\""));

        for (Gateway.Response r : List.of(form, query, jsonTrue)) {
            assertThat(r.status()).as(r.raw()).isEqualTo(202);
            assertThat(r.statusCode()).as(r.raw()).isEqualTo(207);
            assertThat(awaitFinal(gw, r.ret().path("cdls_id").asLong()).state()).isEqualTo(LogState.SENT);
        }
        assertThat(direct.status()).as(direct.raw()).isEqualTo(200);
        assertThat(direct.ret().path("messageId").asText()).isNotEmpty();
        assertThat(invalid.status()).as(invalid.raw()).isEqualTo(400);
        assertThat(invalid.statusCode()).isEqualTo(296);
        assertThat(invalid.ret().has("cdls_id")).isFalse();
    }

    @Test
    void everyCheckUpTo291AnswersAtOnceAsForADirectSend() {
        start(Map.of());
        MetaStubs.answersAfter(gw.meta(), Duration.ofMillis(1500), 200, MetaSamples.read("ig-send-success.doc.json"));
        long noToken = gw.newInstagramLine(true, false, java.util.Optional.empty());

        Gateway.Response noDest = gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"mdata\":\"x\",\"async\":1"));
        Gateway.Response unknownLine = gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + gw.tsid
                + "\",\"app_id\":999,\"dest\":\"" + PEER_A + "\",\"mdata\":\"x\",\"async\":1}");
        Gateway.Response tokenless = gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + gw.tsid
                + "\",\"app_id\":" + noToken + ",\"dest\":\"" + PEER_A + "\",\"mdata\":\"x\",\"async\":1}");
        Gateway.Response badToken = gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"lgt_nope\",\"app_id\":"
                + gw.lineId + ",\"dest\":\"" + PEER_A + "\",\"mdata\":\"x\",\"async\":1}");

        assertThat(noDest.status()).isEqualTo(400);
        assertThat(noDest.statusCode()).isEqualTo(220);
        assertThat(unknownLine.status()).isEqualTo(404);
        assertThat(unknownLine.statusCode()).isEqualTo(230);
        assertThat(tokenless.status()).isEqualTo(422);
        assertThat(tokenless.statusCode()).isEqualTo(233);
        assertThat(tokenless.ret().has("cdls_id")).isTrue();
        assertThat(badToken.status()).isEqualTo(401);
        assertThat(badToken.statusCode()).isEqualTo(101);

        String body = gw.sendJson("\"dest\":\"" + PEER_A + "\",\"mdata\":\"once\",\"msg_id\":\"crm-q1\",\"async\":1");
        Gateway.Response first = gw.postJson("/api/v2/MakeInstagram.php", body);
        Gateway.Response repeat = gw.postJson("/api/v2/MakeInstagram.php", body);
        Gateway.Response directRepeat = gw.postJson("/api/v2/MakeInstagram.php", body.replace(",\"async\":1", ""));
        long cdlsId = first.ret().path("cdls_id").asLong();
        assertThat(first.statusCode()).isEqualTo(207);
        assertThat(repeat.status()).isEqualTo(202);
        assertThat(repeat.statusCode()).isEqualTo(207);
        assertThat(repeat.ret().path("duplicate").asBoolean()).isTrue();
        assertThat(repeat.ret().path("cdls_id").asLong()).isEqualTo(cdlsId);
        assertThat(directRepeat.status()).as(directRepeat.raw()).isEqualTo(409);
        assertThat(directRepeat.statusCode()).isEqualTo(291);
        assertThat(directRepeat.ret().path("cdls_id").asLong()).isEqualTo(cdlsId);

        LogRow sent = awaitFinal(gw, cdlsId);
        Gateway.Response afterSent = gw.postJson("/api/v2/MakeInstagram.php", body);
        assertThat(afterSent.status()).isEqualTo(200);
        assertThat(afterSent.ret().path("duplicate").asBoolean()).isTrue();
        assertThat(afterSent.ret().path("cdls_id").asLong()).isEqualTo(cdlsId);
        assertThat(afterSent.ret().path("messageId").asText()).isEqualTo(sent.metaMessageId().orElseThrow());
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    @Test
    void theWindowIsCheckedWhenTheWorkerSendsIt() {
        start(Map.of());
        MetaStubs.answersAfter(gw.meta(), Duration.ZERO, 200, MetaSamples.read("ig-send-success.doc.json"));
        long twoDaysAgo = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
        gw.execute("INSERT INTO conversations (line_id, peer_id, last_inbound_at) VALUES (" + gw.lineId + ", '"
                + PEER_B + "', " + twoDaysAgo + ")");

        long cdlsId = queue(gw, PEER_B, "too late");

        LogRow row = awaitFinal(gw, cdlsId);
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.error().orElseThrow().statusCode()).isEqualTo(240);
        assertThat(statusEvents(gw, cdlsId)).containsExactly("failed");
        assertThat(MetaStubs.graphCalls(gw.meta())).isZero();
    }

    @Test
    void aConversationsSendsReachMetaInOrderEachAfterTheAnswerToTheOneBeforeAndConversationsRunSideBySide() {
        Duration answerAfter = Duration.ofMillis(400);
        start(Map.of());
        MetaStubs.answersAfter(gw.meta(), answerAfter, 200, MetaSamples.read("ig-send-success.doc.json"));

        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(queue(gw, PEER_A, "a" + i));
            ids.add(queue(gw, PEER_B, "b" + i));
        }
        ids.forEach(id -> assertThat(awaitFinal(gw, id).state()).isEqualTo(LogState.SENT));

        List<QueuedSends.Received> calls = received(gw.meta());
        List<QueuedSends.Received> a = calls.stream().filter(c -> c.dest().equals(PEER_A)).toList();
        List<QueuedSends.Received> b = calls.stream().filter(c -> c.dest().equals(PEER_B)).toList();
        assertThat(a).extracting(QueuedSends.Received::text).containsExactly("a0", "a1", "a2", "a3");
        assertThat(b).extracting(QueuedSends.Received::text).containsExactly("b0", "b1", "b2", "b3");
        for (List<QueuedSends.Received> conversation : List.of(a, b)) {
            for (int i = 1; i < conversation.size(); i++) {
                assertThat(conversation.get(i).atMillis() - conversation.get(i - 1).atMillis())
                        .as("send %d of %s waited for Meta's answer to the one before", i, conversation.get(i).dest())
                        .isGreaterThanOrEqualTo(answerAfter.toMillis());
            }
        }
        assertThat(b.get(0).atMillis()).as("the second conversation does not wait for the first")
                .isLessThan(a.get(3).atMillis());
    }

    @Test
    void aQueuedSendWaitsForItsLinesBudgetInsteadOfBeingRefused() {
        start(Map.of("LINEGATE_LINE_SENDS_PER_SECOND", "2"));
        MetaStubs.answersAfter(gw.meta(), Duration.ZERO, 200, MetaSamples.read("ig-send-success.doc.json"));

        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(queue(gw, Long.toString(7254477777772900L + i), "paced " + i));
        }

        ids.forEach(id -> assertThat(awaitFinal(gw, id).state()).isEqualTo(LogState.SENT));
        List<QueuedSends.Received> calls = received(gw.meta());
        assertThat(calls).hasSize(6);
        // queued sends take only from a full bucket under 10/s: one every 0.5 s, no burst of the bucket's two
        assertThat(calls.get(5).atMillis() - calls.get(0).atMillis()).as("six sends at 2/s, evenly: 2.5 s")
                .isGreaterThanOrEqualTo(2_300);
    }

    @Test
    void aSendThatEndsStartsTheNextRoundAtOnceInsteadOfWaitingForThePoll() {
        // one slot and a poll of 3 s: the first send waits for a poll; the five behind it may not wait for one each
        start(Map.of("LINEGATE_QUEUE_CONCURRENCY", "1", "LINEGATE_QUEUE_POLL_MS", "3000"));
        MetaStubs.answersAfter(gw.meta(), Duration.ofMillis(50), 200, MetaSamples.read("ig-send-success.doc.json"));

        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(queue(gw, Long.toString(8254477777772900L + i), "next " + i));
        }

        List<Long> sentAt = ids.stream().map(id -> awaitFinal(gw, id).sentAt().orElseThrow()).sorted().toList();
        assertThat(sentAt.get(5) - sentAt.get(0)).as("five sends after the first, each started by the end of the one"
                + " before (five polls would be 15 s)").isLessThan(2_000);
    }
}
