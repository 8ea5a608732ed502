package linegate.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request ids (docs/operations.md, "Request ids") and the send log: a sane X-Request-Id is answered back, anything
 * else is replaced by a generated one, errors carry it in the header (the envelope unchanged), and every log line of
 * the request, the send's outcome line among them, carries it in the MDC.
 */
class RequestIdsTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void capture() {
        logs.list.clear(); // one gateway, and one test instance, for the class
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void release() {
        root().detachAppender(logs);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private Gateway.Response send(String members, Map<String, String> headers) {
        return gw.post(PATH, "application/json", gw.sendJson(members), headers);
    }

    @Test
    void aSaneRequestIdIsAnsweredBackAndLoggedWithTheSendsOutcome() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response r = send("\"dest\":\"1254477777772919\",\"mdata\":\"the secret plan\"",
                Map.of("X-Request-Id", "crm-7f3a.b_c:9/x+y=z"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Request-Id")).contains("crm-7f3a.b_c:9/x+y=z");
        long cdlsId = r.ret().path("cdls_id").asLong();
        List<ILoggingEvent> outcome = logs.list.stream().filter(e -> e.getLoggerName().equals("linegate.sends")).toList();
        assertThat(outcome).singleElement().satisfies(e -> {
            assertThat(e.getLevel().toString()).isEqualTo("INFO");
            assertThat(e.getFormattedMessage()).matches("send cdls_id=" + cdlsId + " line=" + gw.lineId
                    + " channel=instagram status_code=200 meta_code=- meta_subcode=- latency_ms=\\d+");
            assertThat(e.getMDCPropertyMap()).containsEntry("request_id", "crm-7f3a.b_c:9/x+y=z");
        });
        assertThat(logs.list.stream().map(ILoggingEvent::getFormattedMessage))
                .noneMatch(m -> m.contains("the secret plan") || m.contains(gw.tsid) || m.contains(Gateway.PAGE_TOKEN));
    }

    @Test
    void metasRefusalIsLoggedWithItsCodesAndTheErrorAnswerKeepsItsEnvelope() {
        gw.metaAnswers(400, MetaSamples.read("error-envelope-graph-error-handling.doc.json"));

        Gateway.Response r = send("\"dest\":\"1\",\"mdata\":\"x\"", Map.of());

        assertThat(r.statusCode()).isEqualTo(250);
        assertThat(r.body().fieldNames()).toIterable().containsExactly("return");
        assertThat(r.ret().has("request_id")).isFalse();
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).matches(UUID);
        assertThat(logs.list).filteredOn(e -> e.getLoggerName().equals("linegate.sends")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getFormattedMessage()).contains("status_code=250 meta_code=190 meta_subcode=460");
                    assertThat(e.getMDCPropertyMap()).containsEntry("request_id", id);
                });
    }

    @Test
    void anInsaneRequestIdIsReplacedAndEveryAnswerCarriesOne() {
        for (String insane : List.of("x".repeat(129), "two words", "a\"quote", "é", "")) {
            Gateway.Response r = gw.post(PATH, "application/json", "{}", Map.of("X-Request-Id", insane));
            assertThat(r.statusCode()).isEqualTo(100);
            assertThat(r.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches(UUID));
        }
        assertThat(gw.get("/no/such/path").headers().firstValue("X-Request-Id")).isPresent();
        assertThat(gw.get("/health").headers().firstValue("X-Request-Id")).isPresent();
        assertThat(gw.post(PATH, "application/json", "{}", Map.of("X-Request-Id", "x".repeat(128)))
                .headers().firstValue("X-Request-Id")).contains("x".repeat(128));
    }

    @Test
    void aQueuedSendLogsItsAnswerAndThenItsFinalOutcome() throws InterruptedException {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response r = send("\"dest\":\"1254477777772919\",\"mdata\":\"later\",\"async\":1", Map.of());

        assertThat(r.statusCode()).isEqualTo(207);
        long cdlsId = r.ret().path("cdls_id").asLong();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (sendLines().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sendLines()).hasSize(2);
        assertThat(sendLines().get(0)).startsWith("send cdls_id=" + cdlsId + " line=" + gw.lineId
                + " channel=instagram status_code=207 ");
        assertThat(sendLines().get(1)).matches("send cdls_id=" + cdlsId + " line=" + gw.lineId
                + " channel=instagram status_code=200 meta_code=- meta_subcode=- latency_ms=\\d+ queued attempts=1");
    }

    private List<String> sendLines() {
        return List.copyOf(logs.list).stream().filter(e -> e.getLoggerName().equals("linegate.sends"))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
