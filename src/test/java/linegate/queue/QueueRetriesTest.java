package linegate.queue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.fasterxml.jackson.databind.JsonNode;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Processes;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static linegate.queue.QueuedSends.awaitFinal;
import static linegate.queue.QueuedSends.queue;
import static linegate.queue.QueuedSends.status;
import static linegate.queue.QueuedSends.statusEvents;
import static linegate.testing.MetaStubs.answer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Safe retries of queued sends (docs/api.md, "What is retried"): Meta scripted per request with its real error JSON.
 * Retried, and then sent once: nothing reached Meta (connection refused), rate limits (HTTP 429 code 4, 613, 80001),
 * codes 1 and 2, is_transient. Never retried: a timeout, an answer without a message id, 1/1357046, a final refusal;
 * a send that cannot be sent within LINEGATE_QUEUE_MAX_AGE fails with 262. Both databases.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class QueueRetriesTest {
    static final String PEER = "1254477777772919";
    /** The back-off's unit in this class: retries 20 ms, 40 ms … apart, rate limits 600 ms, 1.2 s … */
    static final Map<String, String> FAST_RETRIES = Map.of("LINEGATE_QUEUE_RETRY_BASE_MS", "20",
            "LINEGATE_GRAPH_TIMEOUT_MS", "1000");

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Gateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    static Stream<ResponseDefinitionBuilder> retriedThenSent() {
        String transientError = MetaSamples.read("error-ig-platform-with-is-transient.doc.json")
                .replace("\"is_transient\": false", "\"is_transient\": true");
        return Stream.of(
                answer(429, MetaSamples.error(4, null, "OAuthException", "(#4) Application request limit reached",
                        "AZqMBB4Rwa1_gxLmF4fxGx8")),
                answer(400, MetaSamples.error(613, 2534040, "OAuthException",
                        "Calls to this api have exceeded the rate limit.", "AQqCY2ZZbIn6m3rERiQZ2ZJ")),
                answer(400, MetaSamples.read("error-rate-limit-80001-buc-page.doc.json")),
                answer(500, MetaSamples.error(2, null, "OAuthException",
                        "An unexpected error has occurred. Please retry your request later.", "A3bJ9kQbJxTaa4bRCKbUQeN")),
                answer(500, MetaSamples.error(1, null, "OAuthException", "An unknown error occurred",
                        "Ai8Xw_0RjXvS2EV6tqRPgUb")),
                answer(400, transientError));
    }

    @ParameterizedTest
    @MethodSource("retriedThenSent")
    void anErrorAfterWhichMetaDidNotSendIsRetriedAndThenSentOnce(ResponseDefinitionBuilder first) {
        gw = Gateway.start(db, tmp, FAST_RETRIES);
        scripted(gw.meta(), first, answer(200, MetaSamples.read("ig-send-success.doc.json")));

        long cdlsId = queue(gw, PEER, "retried");

        LogRow row = awaitFinal(gw, cdlsId);
        assertThat(row.state()).isEqualTo(LogState.SENT);
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(2);
        assertThat(status(gw, cdlsId).path("attempts").asInt()).isEqualTo(2);
        assertThat(statusEvents(gw, cdlsId)).as("one event, for the final state").containsExactly("sent");
    }

    static Stream<Object[]> neverRetried() {
        return Stream.of(
                new Object[] {"a timeout", answer(200, MetaSamples.read("ig-send-success.doc.json"))
                        .withFixedDelay(2500), LogState.UNKNOWN, 280},
                new Object[] {"an answer without a message id", answer(200, "{\"recipient_id\":\"" + PEER + "\"}"),
                        LogState.UNKNOWN, 280},
                new Object[] {"a broken connection", MetaStubs.answer(200, "").withFault(Fault.CONNECTION_RESET_BY_PEER),
                        LogState.UNKNOWN, 280},
                new Object[] {"1/1357046 (may have been sent)", answer(500, MetaSamples.error(1, 1357046,
                        "OAuthException", "Received invalid JSON reply.", "AxK2fEJ0xy_6ZcB1pUiJ6qQ")), LogState.UNKNOWN, 280},
                new Object[] {"a final refusal (551)", answer(400, MetaSamples.error(551, 1545041, "OAuthException",
                        "This person isn't available right now.", "Ae2dS8nVj6aV6xLZP6l6vWm")), LogState.FAILED, 241},
                new Object[] {"2/2018344 (terms not accepted)", answer(500, MetaSamples.error(2, 2018344,
                        "OAuthException", "Service temporarily unavailable", "AzRa4Kz6Q9t1vQYq8O2vJ1c")), LogState.FAILED, 270});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("neverRetried")
    void anAttemptAfterWhichMetaMayHaveSentItOrRefusedForGoodIsNeverRetried(String what, ResponseDefinitionBuilder first,
                                                                           LogState state, int statusCode)
            throws InterruptedException {
        gw = Gateway.start(db, tmp, FAST_RETRIES);
        scripted(gw.meta(), first, answer(200, MetaSamples.read("ig-send-success.doc.json")));

        long cdlsId = queue(gw, PEER, "once only");

        LogRow row = awaitFinal(gw, cdlsId);
        assertThat(row.state()).as(what).isEqualTo(state);
        assertThat(row.error().orElseThrow().statusCode()).isEqualTo(statusCode);
        Thread.sleep(1000); // fifty retry units: a retry would have come
        assertThat(MetaStubs.graphCalls(gw.meta())).as(what).isEqualTo(1);
        assertThat(gw.stores().log().find(cdlsId).orElseThrow().state()).isEqualTo(state);
        assertThat(statusEvents(gw, cdlsId)).containsExactly(state.dbValue());
    }

    @Test
    void whenNothingReachedMetaTheSendIsRetriedUntilMetaCanBeReached() throws Exception {
        int port = Processes.freePort();
        gw = Gateway.start(db, tmp, Map.of("LINEGATE_QUEUE_RETRY_BASE_MS", "50",
                "LINEGATE_GRAPH_URL", "http://127.0.0.1:" + port));
        WireMockServer meta = new WireMockServer(wireMockConfig().port(port));
        try {
            long cdlsId = queue(gw, PEER, "when Meta is back");
            JsonNode waiting = Webhooks.await("a second attempt refused a connection", () -> Optional.of(status(gw, cdlsId))
                    .filter(m -> m.path("attempts").asInt() >= 2 && m.path("state").asText().equals("queued")));
            assertThat(waiting.path("error").isNull()).isTrue();

            meta.start();
            MetaStubs.answersAfter(meta, Duration.ZERO, 200, MetaSamples.read("ig-send-success.doc.json"));

            assertThat(awaitFinal(gw, cdlsId).state()).isEqualTo(LogState.SENT);
            assertThat(MetaStubs.graphCalls(meta)).isEqualTo(1);
            assertThat(statusEvents(gw, cdlsId)).containsExactly("sent");
        } finally {
            meta.stop();
        }
    }

    @Test
    void aSendNotSentWithinTheQueuesMaxAgeFailsWith262() {
        gw = Gateway.start(db, tmp, Map.of("LINEGATE_QUEUE_RETRY_BASE_MS", "20", "LINEGATE_QUEUE_MAX_AGE", "PT2S"));
        MetaStubs.answers(gw.meta(), answer(400, MetaSamples.error(613, 2534040, "OAuthException",
                "Calls to this api have exceeded the rate limit.", "AQqCY2ZZbIn6m3rERiQZ2ZJ")));

        long cdlsId = queue(gw, PEER, "never in time");

        LogRow row = awaitFinal(gw, cdlsId);
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        JsonNode error = status(gw, cdlsId).path("error");
        assertThat(error.path("status_code").asInt()).isEqualTo(262);
        assertThat(error.path("status").asText()).isEqualTo("Expired in queue");
        assertThat(error.path("detail").asText()).contains("PT2S");
        assertThat(statusEvents(gw, cdlsId)).containsExactly("failed");
        assertThat(MetaStubs.graphCalls(gw.meta())).isGreaterThanOrEqualTo(1);
    }

    /** Meta answers the first send with {@code first}, every later one with {@code then}. */
    private static void scripted(WireMockServer meta, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        meta.resetMappings();
        meta.stubFor(MetaStubs.sendApi().inScenario("retry").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo("answered"));
        meta.stubFor(MetaStubs.sendApi().inScenario("retry").whenScenarioStateIs("answered").willReturn(then));
    }
}
