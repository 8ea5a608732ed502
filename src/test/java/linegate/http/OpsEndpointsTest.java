package linegate.http;

import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /health} and {@code /metrics} (docs/api.md), and what a send leaves in the metrics. */
class OpsEndpointsTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";

    @Test
    void healthAnswersUpWithTheDatabaseUp() {
        Gateway.Response r = gw.get("/health");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.body().toString()).isEqualTo("{\"status\":\"UP\",\"database\":\"UP\"}");
    }

    @Test
    void metricsCountSendsByChannelAndStatusCodeInPrometheusText() {
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        double sentBefore = sends("200");
        double refusedBefore = sends("210");
        double malformedBefore = sends("201");

        assertThat(gw.postJson(PATH, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\"")).statusCode()).isEqualTo(200);
        assertThat(gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"dest\":\"1\",\"mdata\":\"hi\"}").statusCode()).isEqualTo(210);
        assertThat(gw.postJson(PATH, "{not json").statusCode()).isEqualTo(201);

        Gateway.Response r = gw.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(sends("200")).isEqualTo(sentBefore + 1);
        assertThat(sends("210")).isEqualTo(refusedBefore + 1);
        assertThat(sends("201")).isEqualTo(malformedBefore + 1);
        assertThat(r.raw()).contains("# TYPE linegate_sends_total counter");
        assertThat(r.raw()).containsPattern("(?m)^linegate_graph_send_seconds_count\\{[^}]*outcome=\"sent\"[^}]*} [1-9]");
        assertThat(r.raw()).containsPattern("(?m)^linegate_graph_send_seconds_bucket\\{");
        assertThat(r.raw()).containsPattern(
                "(?m)^http_server_requests_seconds_count\\{[^}]*method=\"POST\"[^}]*status=\"200\"[^}]*uri=\"/api/v2/MakeInstagram.php\"[^}]*} [1-9]");
        assertThat(r.raw()).containsPattern(
                "(?m)^http_server_requests_seconds_count\\{[^}]*status=\"400\"[^}]*uri=\"/api/v2/MakeInstagram.php\"[^}]*} [1-9]");
        assertThat(r.raw()).doesNotContain(gw.tsid).doesNotContain(Gateway.PAGE_TOKEN);
    }

    @Test
    void metricsNameTheRouteTemplateNotTheRawPathOfUnknownPaths() {
        gw.get("/no/such/path/" + gw.tsid);

        assertThat(gw.get("/metrics").raw()).doesNotContain("/no/such/path");
    }

    /** The value of {@code linegate_sends_total{channel="instagram",status_code=code}}, 0 when absent. */
    private double sends(String code) {
        Matcher m = Pattern.compile("(?m)^linegate_sends_total\\{channel=\"instagram\",status_code=\"" + code
                + "\"[^}]*} ([0-9.eE+-]+)$").matcher(gw.get("/metrics").raw());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
