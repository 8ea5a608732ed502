package linegate;

import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.TestDb;
import linegate.testing.Together;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole gateway with group commit (LINEGATE_LOG_BATCH_SIZE=64) on SQLite and PostgreSQL: a burst of concurrent
 * sends is answered in full with every row recorded as sent, a burst of repeated msg_ids still calls Meta once per
 * msg_id, a burst of webhook deliveries is answered 200 only for deliveries already committed to the inbox, and the
 * batch of one (the plain design) still serves.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class GroupCommitTest {
    static final String PATH = "/api/v2/MakeInstagram.php";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    private static String body(int i, String msgId) {
        return "\"dest\":\"1254477777772919\",\"mdata\":\"Order " + i + " has shipped\",\"msg_id\":\"" + msgId + "\"";
    }

    @Test
    void aHundredConcurrentSendsAreAllAnsweredAndEveryRowIsSent() throws Exception {
        try (Gateway gw = Gateway.start(db, tmp, Gateway.env("LINEGATE_LOG_BATCH_SIZE", "64"))) {
            gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

            List<Gateway.Response> answers = Together.run(100, i -> gw.postJson(PATH, gw.sendJson(body(i, "crm-" + i))));

            assertThat(answers).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.statusCode()).isEqualTo(200);
            });
            Set<Long> cdlsIds = answers.stream().map(r -> r.ret().path("cdls_id").asLong()).collect(Collectors.toSet());
            assertThat(cdlsIds).hasSize(100);
            List<LogRow> rows = gw.rows();
            assertThat(rows).hasSize(100).allSatisfy(row -> assertThat(row.state()).isEqualTo(LogState.SENT));
            assertThat(rows.stream().map(LogRow::id).collect(Collectors.toSet())).isEqualTo(cdlsIds);
            for (int i = 0; i < 100; i++) {
                long cdlsId = answers.get(i).ret().path("cdls_id").asLong();
                assertThat(gw.stores().log().find(cdlsId).orElseThrow().msgId()).contains("crm-" + i);
            }
            String metrics = gw.get("/metrics").raw();
            assertThat(counter(metrics, "linegate_log_batched_writes_total")).as("100 appends and 100 finishes")
                    .isEqualTo(200);
            assertThat(counter(metrics, "linegate_log_batches_total")).as("some transactions held several writes")
                    .isBetween(1.0, 199.0);
        }
    }

    @Test
    void aBurstOfRepeatedMsgIdsCallsMetaOncePerMsgId() throws Exception {
        try (Gateway gw = Gateway.start(db, tmp, Gateway.env("LINEGATE_LOG_BATCH_SIZE", "64"))) {
            gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

            // a repeat is the same message: the same msg_id with other content would be a reuse (292)
            List<Gateway.Response> answers = Together.run(100, i -> gw.postJson(PATH,
                    gw.sendJson(body(i % 20, "crm-" + i % 20))));

            assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(20);
            List<LogRow> rows = gw.rows();
            assertThat(rows).hasSize(20).allSatisfy(row -> assertThat(row.state()).isEqualTo(LogState.SENT));
            Map<String, Long> rowOf = rows.stream().collect(Collectors.toMap(r -> r.msgId().orElseThrow(), LogRow::id));
            Set<Integer> codes = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                Gateway.Response r = answers.get(i);
                codes.add(r.statusCode());
                assertThat(r.statusCode()).as("a first send, a duplicate of a success, or one in progress").isIn(200, 291);
                assertThat(r.ret().path("cdls_id").asLong()).as("every answer names the msg_id's one row")
                        .isEqualTo(rowOf.get("crm-" + i % 20));
            }
            assertThat(codes).contains(200);
        }
    }

    @Test
    void aBurstOfWebhookDeliveriesIsAnswered200OnlyForDeliveriesAlreadyInTheInbox() throws Exception {
        Map<String, String> env = Webhooks.env();
        env.put("LINEGATE_LOG_BATCH_SIZE", "64");
        try (Gateway gw = Gateway.start(db, tmp, env)) {
            Webhooks hooks = new Webhooks(gw);
            Webhooks.Line ig = hooks.newInstagramLine();
            long at = System.currentTimeMillis() - 60_000;

            // each caller looks for its delivery through a connection of its own the moment it has its 200
            List<String> seen = Together.run(64, i -> {
                String mid = Webhooks.newIgMid();
                Gateway.Response r = hooks.post(Webhooks.instagram(ig.entryId(), at + i, "{\"sender\":{\"id\":\"1254477777"
                        + i + "\"},\"recipient\":{\"id\":\"" + ig.entryId() + "\"},\"timestamp\":" + (at + i)
                        + ",\"message\":{\"mid\":\"" + mid + "\",\"text\":\"Hi " + i + "\"}}"));
                return r.status() + " " + stored(gw, mid);
            });

            assertThat(seen).as("answered 200, and already stored then").containsOnly("200 1");
            assertThat(counter(gw.get("/metrics").raw(), "linegate_log_batched_writes_total"))
                    .as("the deliveries went through the group-commit writer").isEqualTo(64);
        }
    }

    private static long stored(Gateway gw, String mid) {
        try (Connection c = gw.connect();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM webhook_inbox WHERE body LIKE ?")) {
            ps.setString(1, "%" + mid + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBatchOfOneIsThePlainWriter() throws Exception {
        try (Gateway gw = Gateway.start(db, tmp, Gateway.env("LINEGATE_LOG_BATCH_SIZE", "1"))) {
            gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

            List<Gateway.Response> answers = Together.run(20, i -> gw.postJson(PATH, gw.sendJson(body(i, "crm-" + i))));

            assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            assertThat(gw.rows()).hasSize(20).allSatisfy(row -> assertThat(row.state()).isEqualTo(LogState.SENT));
            assertThat(gw.get("/metrics").raw()).as("no batching writer").doesNotContain("linegate_log_batches_total");
        }
    }

    private static double counter(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(m.find()).as("%s in /metrics", name).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
