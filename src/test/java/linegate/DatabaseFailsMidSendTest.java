package linegate;

import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL failing in the middle of a send, through the real server: another session holds a table locked, and the
 * gateway's statements give up after a short lock timeout (SQLState 55P03), as they would with the database away.
 * <ul>
 *   <li>Before Meta is called (the window check's read): nothing stays {@code accepted}, and the retry that a 503
 *       invites goes through with the same msg_id.</li>
 *   <li>After Meta accepted, while its answer is recorded: the client gets its 200, and once the database is back the
 *       log says {@code sent} with Meta's message id, and a retry is answered from it.</li>
 * </ul>
 */
class DatabaseFailsMidSendTest {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final String DEST = "1254477777772919";

    @TempDir
    Path tmp;

    Gateway gw;

    @BeforeEach
    void start() {
        Map<String, String> env = new HashMap<>(TestDb.POSTGRESQL.freshEnv(tmp));
        env.put("LINEGATE_DB_URL", env.get("LINEGATE_DB_URL") + "?options=-c%20lock_timeout%3D300");
        gw = Gateway.start(env);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private String body(String msgId) {
        return gw.sendJson("\"dest\":\"" + DEST + "\",\"mdata\":\"Your order has shipped\",\"msg_id\":\"" + msgId + "\"");
    }

    /** Opens a session holding {@code table} in ACCESS EXCLUSIVE mode until the connection is closed. */
    private Connection lock(String table) throws Exception {
        Connection c = gw.connect();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    private List<LogRow> rows(String msgId) {
        return gw.rows().stream().filter(r -> r.msgId().orElse("").equals(msgId)).toList();
    }

    @Test
    void aFailedWindowReadLeavesNoAcceptedRowAndTheRetryWithTheSameMsgIdIsSent() throws Exception {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response refused;
        try (Connection locked = lock("conversations")) {
            refused = gw.postJson(PATH, body("crm-window"));
        }

        assertThat(refused.status()).as(refused.raw()).isEqualTo(503);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(rows("crm-window")).noneMatch(r -> r.state() == LogState.ACCEPTED);
        assertThat(MetaStubs.graphCalls(gw.meta())).isZero();

        Gateway.Response retry = gw.postJson(PATH, body("crm-window"));

        assertThat(retry.statusCode()).as(retry.raw()).isEqualTo(200);
        assertThat(retry.ret().has("duplicate")).isFalse();
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
        assertThat(gw.stores().log().find(retry.ret().path("cdls_id").asLong()).orElseThrow().state())
                .isEqualTo(LogState.SENT);
    }

    @Test
    void metasAcceptanceIsRecordedOnceTheDatabaseIsBackAndARetryIsAnsweredFromIt() throws Exception {
        MetaStubs.answersAfter(gw.meta(), Duration.ofMillis(800), 200, MetaSamples.read("ig-send-success.doc.json"));

        CompletableFuture<Gateway.Response> inFlight = CompletableFuture.supplyAsync(() -> gw.postJson(PATH, body("crm-held")));
        MetaStubs.awaitGraphCalls(gw.meta(), 1); // the row is written, Meta is about to answer
        Gateway.Response answer;
        try (Connection locked = lock("message_log")) {
            answer = inFlight.get(10, TimeUnit.SECONDS); // answered while the log cannot record it
        }

        assertThat(answer.statusCode()).as(answer.raw()).isEqualTo(200);
        String messageId = answer.ret().path("messageId").asText();
        long cdlsId = answer.ret().path("cdls_id").asLong();
        assertThat(messageId).isNotEmpty();

        LogRow row = awaitState(cdlsId, LogState.SENT);
        assertThat(row.metaMessageId()).contains(messageId);
        Gateway.Response status = gw.get("/api/v2/MessageStatus.php?tsid=" + gw.tsid + "&msg_id=crm-held");
        assertThat(status.ret().path("message").path("state").asText()).isEqualTo("sent");
        assertThat(status.ret().path("message").path("messageId").asText()).isEqualTo(messageId);

        Gateway.Response retry = gw.postJson(PATH, body("crm-held"));

        assertThat(retry.statusCode()).as(retry.raw()).isEqualTo(200);
        assertThat(retry.ret().path("duplicate").asBoolean()).isTrue();
        assertThat(retry.ret().path("messageId").asText()).isEqualTo(messageId);
        assertThat(retry.ret().path("cdls_id").asLong()).isEqualTo(cdlsId);
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
        assertThat(gw.get("/metrics").raw()).containsPattern("linegate_log_unrecorded_recorded_total(\\{[^}]*})? 1\\.0");
    }

    private LogRow awaitState(long cdlsId, LogState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        LogRow row = gw.stores().log().find(cdlsId).orElseThrow();
        while (row.state() != state && System.nanoTime() < deadline) {
            Thread.sleep(100);
            row = gw.stores().log().find(cdlsId).orElseThrow();
        }
        assertThat(row.state()).as("row %d", cdlsId).isEqualTo(state);
        return row;
    }
}
