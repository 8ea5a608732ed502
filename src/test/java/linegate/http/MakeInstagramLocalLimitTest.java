package linegate.http;

import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static linegate.http.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 260 from Linegate's own per-line limit (LINEGATE_LINE_SENDS_PER_SECOND): answered after the line resolved, so with
 * a failed row and a cdls_id, and without spending a Graph call. Each test uses a fresh line: budgets are per line.
 */
class MakeInstagramLocalLimitTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";

    long line;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Gateway.env("LINEGATE_LINE_SENDS_PER_SECOND", "1");
    }

    @BeforeEach
    void freshLineAndMeta() {
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        line = gw.newInstagramLine(true, false, Optional.of(Gateway.PAGE_TOKEN));
    }

    private Gateway.Response send(long lineId, String extra) {
        return gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + lineId
                + ",\"dest\":\"1254477777772919\",\"mdata\":\"hi\"" + extra + "}");
    }

    @Test
    void answers260WithRetryAfterAndAFailedRowWhenTheLineIsOverItsLocalLimit() {
        Gateway.Response first = send(line, "");
        Gateway.Response second = send(line, ",\"msg_id\":\"crm-second\"");

        assertThat(first.statusCode()).as(first.raw()).isEqualTo(200);
        assertRefused(second, 429, 260, "Rate limited");
        long retryAfter = second.ret().path("retry_after").asLong(-1);
        assertThat(retryAfter).isBetween(1L, 2L);
        assertThat(second.headers().firstValue("Retry-After")).contains(Long.toString(retryAfter));
        assertThat(second.ret().has("meta_error")).isFalse();
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));

        assertThat(second.ret().path("cdls_id").isIntegralNumber()).as("cdls_id in %s", second.raw()).isTrue();
        LogRow row = gw.stores().log().find(second.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.lineId()).isEqualTo(line);
        assertThat(row.msgId()).contains("crm-second");
        assertThat(row.error()).hasValueSatisfying(e -> assertThat(e.statusCode()).isEqualTo(260));
    }

    @Test
    void limitsEachLineOnItsOwn() {
        long other = gw.newInstagramLine(true, false, Optional.of(Gateway.PAGE_TOKEN));

        assertThat(send(line, "").statusCode()).isEqualTo(200);
        assertThat(send(other, "").statusCode()).isEqualTo(200);
        gw.meta().verify(2, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
    }

    @Test
    void aRequestRefusedBeforeTheLimitCheckDoesNotSpendTheLinesBudget() {
        Gateway.Response refused = send(line, ",\"tag\":\"HUMAN_AGENT\"");
        Gateway.Response sent = send(line, "");

        assertRefused(refused, 422, 234, "Human agent tag not enabled");
        assertThat(sent.statusCode()).as(sent.raw()).isEqualTo(200);
    }

    @Test
    void answers234BeforeTheLocalLimitOnALineThatSpentItsBudget() {
        assertThat(send(line, "").statusCode()).isEqualTo(200);

        Gateway.Response r = send(line, ",\"tag\":\"HUMAN_AGENT\"");

        assertRefused(r, 422, 234, "Human agent tag not enabled");
        assertThat(r.ret().has("retry_after")).isFalse();
        assertThat(r.ret().path("cdls_id").isIntegralNumber()).isTrue();
    }

    @Test
    void answers233BeforeTheLocalLimit() {
        long noToken = gw.newInstagramLine(true, false, Optional.empty());

        assertRefused(send(noToken, ""), 422, 233, "No page access token");
        assertRefused(send(noToken, ""), 422, 233, "No page access token");
    }
}
