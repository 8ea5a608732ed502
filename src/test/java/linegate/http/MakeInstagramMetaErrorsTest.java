package linegate.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.store.LoggedError;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static linegate.http.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * Meta's error answers and the status codes they become (docs/status-codes.md: 240 to 270), classified by code and
 * subcode only, never by Meta's type or HTTP status. Bodies are Meta's sample files where Meta published one, and
 * otherwise Meta's documented envelope with Meta's own message text (docs/meta-facts.md, "Error classes").
 */
class MakeInstagramMetaErrorsTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final AtomicInteger FAILURES = new AtomicInteger();

    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
    }

    static Stream<Arguments> metaErrors() {
        return Stream.of(
                // 240: the messaging window is closed
                argumentSet("10/2534022 answered with HTTP 403 and IGApiException (Instagram) -> 240", 403,
                        MetaSamples.error(10, 2534022, "IGApiException", "This message is sent outside of allowed window.",
                                "AbCdEfGh2534022"), 240, "Outside messaging window"),
                argumentSet("10/2018278 answered with HTTP 400 (Messenger's window) -> 240", 400,
                        MetaSamples.error(10, 2018278, "OAuthException", "This message is sent outside of allowed window."
                                + " Learn more about the new policy here", "AbCdEfGh2018278"), 240, "Outside messaging window"),
                argumentSet("10/2018065 -> 240", 400,
                        MetaSamples.error(10, 2018065, "OAuthException", "This message is sent outside of allowed window."
                                + " You need News Messaging permission", "AbCdEfGh2018065"), 240, "Outside messaging window"),
                // 241: the recipient cannot receive messages
                argumentSet("551/1545041 -> 241", 400,
                        MetaSamples.error(551, 1545041, "OAuthException", "This person isn't available right now.",
                                "AbCdEf5511545041"), 241, "Recipient unavailable"),
                argumentSet("551/1545041 answered with HTTP 403 and IGApiException -> 241", 403,
                        MetaSamples.error(551, 1545041, "IGApiException", "This person isn't available right now.",
                                "AbCdEf551IG"), 241, "Recipient unavailable"),
                argumentSet("551 without subcode -> 241", 400,
                        MetaSamples.error(551, null, "OAuthException", "User Block Error: This person isn't receiving"
                                + " messages from you right now.", "AbCdEf551"), 241, "Recipient unavailable"),
                argumentSet("200/1545041 -> 241", 400,
                        MetaSamples.error(200, 1545041, "OAuthException", "Message Not Sent: This person isn't available"
                                + " right now.", "AbCdEf2001545041"), 241, "Recipient unavailable"),
                argumentSet("10/2018108 -> 241", 400,
                        MetaSamples.error(10, 2018108, "OAuthException", "They can't receive your messages right now.",
                                "AbCdEf102018108"), 241, "Recipient unavailable"),
                // 242: no such user for this account
                argumentSet("100/2018001 -> 242", 400,
                        MetaSamples.error(100, 2018001, "OAuthException", "No matching user found", "AbCdEf1002018001"),
                        242, "No matching user"),
                argumentSet("100/2534014 -> 242", 400,
                        MetaSamples.error(100, 2534014, "IGApiException", "No matching Instagram user", "AbCdEf1002534014"),
                        242, "No matching user"),
                // 243: the media
                argumentSet("100/2018008 -> 243", 400,
                        MetaSamples.error(100, 2018008, "OAuthException", "Failed to fetch the file from the url",
                                "AbCdEf1002018008"), 243, "Media rejected"),
                argumentSet("100/2018047 -> 243", 400,
                        MetaSamples.error(100, 2018047, "OAuthException", "Upload attachment failure", "AbCdEf1002018047"),
                        243, "Media rejected"),
                argumentSet("100/2018109 -> 243", 400,
                        MetaSamples.error(100, 2018109, "OAuthException", "Attachment size exceeds allowable limit",
                                "AbCdEf1002018109"), 243, "Media rejected"),
                argumentSet("100/2018294 -> 243", 400,
                        MetaSamples.error(100, 2018294, "OAuthException", "Video upload timed out or video is corrupted",
                                "AbCdEf1002018294"), 243, "Media rejected"),
                // 250: the page access token
                argumentSet("190/460 (Graph error-handling sample) -> 250", 400,
                        MetaSamples.read("error-envelope-graph-error-handling.doc.json"), 250, "Page access token rejected"),
                argumentSet("190/1234567 (Messenger common-errors sample) -> 250", 400,
                        MetaSamples.read("error-envelope-messenger-common.doc.json"), 250, "Page access token rejected"),
                argumentSet("190/463 answered with HTTP 401 and IGApiException -> 250", 401,
                        MetaSamples.error(190, 463, "IGApiException", "Error validating access token: Session has expired",
                                "AbCdEf190463"), 250, "Page access token rejected"),
                argumentSet("102 -> 250", 400,
                        MetaSamples.error(102, null, "OAuthException", "API Session", "AbCdEf102"), 250,
                        "Page access token rejected"),
                // 255: not permitted
                argumentSet("10 without subcode -> 255", 403,
                        MetaSamples.error(10, null, "OAuthException", "Permission is either not granted or has been removed",
                                "AbCdEf10"), 255, "Not permitted by Meta"),
                argumentSet("10/2534077 -> 255", 400,
                        MetaSamples.error(10, 2534077, "OAuthException", "Cannot verify the connection between the IG"
                                + " account, the logged in user and the page", "AbCdEf102534077"), 255, "Not permitted by Meta"),
                argumentSet("200 without subcode -> 255", 400,
                        MetaSamples.error(200, null, "OAuthException", "Permission Error: Cannot message users who are not"
                                + " admins, developers or testers of the app until pages_messaging permission is reviewed"
                                + " and the app is live.", "AbCdEf200"), 255, "Not permitted by Meta"),
                argumentSet("200/2534041 -> 255", 400,
                        MetaSamples.error(200, 2534041, "IGApiException", "The account owner has disabled access to"
                                + " instagram direct messages.", "AbCdEf2002534041"), 255, "Not permitted by Meta"),
                argumentSet("3 -> 255", 400,
                        MetaSamples.error(3, null, "OAuthException", "Application does not have the capability to make"
                                + " this API call.", "AbCdEf3"), 255, "Not permitted by Meta"),
                // 260: Meta's rate limits
                argumentSet("4 -> 260", 400,
                        MetaSamples.error(4, null, "OAuthException", "Rate Limit error: Application request limit reached.",
                                "AbCdEf4"), 260, "Rate limited"),
                argumentSet("17 -> 260", 400,
                        MetaSamples.error(17, null, "OAuthException", "User request limit reached", "AbCdEf17"), 260,
                        "Rate limited"),
                argumentSet("32 (page request limit sample) -> 260", 400,
                        MetaSamples.read("error-rate-limit-32-page.doc.json"), 260, "Rate limited"),
                argumentSet("613/2534040 -> 260", 400,
                        MetaSamples.error(613, 2534040, "OAuthException", "Calls to this api have exceeded the rate limit.",
                                "AbCdEf6132534040"), 260, "Rate limited"),
                argumentSet("80001 (BUC page sample) -> 260", 400,
                        MetaSamples.read("error-rate-limit-80001-buc-page.doc.json"), 260, "Rate limited"),
                argumentSet("80002 -> 260", 400,
                        MetaSamples.error(80002, null, "OAuthException", "There have been too many calls to this Instagram"
                                + " account. Wait a bit and try again.", "AbCdEf80002"), 260, "Rate limited"),
                argumentSet("80006 -> 260", 400,
                        MetaSamples.error(80006, null, "OAuthException", "There have been too many messenger api calls to"
                                + " this Page account. Wait a bit and try again.", "AbCdEf80006"), 260, "Rate limited"),
                // 270: anything else
                argumentSet("100 without subcode (field alias sample, no fbtrace_id) -> 270", 400,
                        MetaSamples.read("error-field-alias-100.doc.json"), 270, "Meta API error"),
                argumentSet("100/2534015 -> 270", 400,
                        MetaSamples.error(100, 2534015, "IGApiException", "Invalid message data", "AbCdEf1002534015"),
                        270, "Meta API error"),
                argumentSet("36000/2207004 (Instagram Platform sample with is_transient) -> 270", 400,
                        MetaSamples.read("error-ig-platform-with-is-transient.doc.json"), 270, "Meta API error"),
                // Meta's own failures: Meta answered that it did not send, and advises retrying the call later
                argumentSet("1 -> 270", 500,
                        MetaSamples.error(1, 99, "OAuthException", "An unknown error occurred.", "AbCdEf1"), 270,
                        "Meta API error"),
                argumentSet("2 -> 270", 503,
                        MetaSamples.error(2, null, "OAuthException", "An unexpected error has occurred. Please retry your"
                                + " request later.", "AbCdEf2"), 270, "Meta API error"),
                argumentSet("2 with HTTP 400 -> 270", 400,
                        MetaSamples.error(2, null, "OAuthException", "An unexpected error has occurred. Please retry your"
                                + " request later.", "AbCdEf2400"), 270, "Meta API error"),
                argumentSet("is_transient true (100/33) -> 270", 400,
                        "{\"error\":{\"message\":\"Unsupported post request.\",\"type\":\"GraphMethodException\","
                                + "\"code\":100,\"error_subcode\":33,\"is_transient\":true,\"fbtrace_id\":\"AbCdEfT\"}}",
                        270, "Meta API error"),
                argumentSet("unclassified 100/33 with HTTP 500 -> 270", 500,
                        MetaSamples.error(100, 33, "GraphMethodException", "Unsupported post request.", "AbCdEf100500"),
                        270, "Meta API error"),
                argumentSet("2/2018344 (terms of service not accepted) -> 270", 400,
                        MetaSamples.error(2, 2018344, "OAuthException", "Service temporarily unavailable",
                                "AbCdEf22018344"), 270, "Meta API error"),
                // a classified refusal stays a refusal whatever the HTTP status
                argumentSet("4 with HTTP 500 -> 260", 500,
                        MetaSamples.error(4, null, "OAuthException", "Application request limit reached", "AbCdEf4500"),
                        260, "Rate limited"));
    }

    /**
     * The one error after which Meta says the message may have been sent (1/1357046, "Received invalid JSON reply"):
     * delivery is unknown, and a retry must not send it again.
     */
    static Stream<Arguments> metaFailures() {
        return Stream.of(
                argumentSet("1/1357046 (invalid JSON reply) with HTTP 400", 400,
                        MetaSamples.error(1, 1357046, "OAuthException", "Received invalid JSON reply.", "AbCdEf11357046")),
                argumentSet("1/1357046 with HTTP 500", 500,
                        MetaSamples.error(1, 1357046, "OAuthException", "Received invalid JSON reply.", "AbCdEf1135704X")));
    }

    @ParameterizedTest
    @MethodSource("metaFailures")
    void answers280AndLogsUnknownWhenMetaFailedItselfAndARetryIsNotSentAgain(int httpStatus, String metaBody) {
        gw.metaAnswers(httpStatus, metaBody);
        String msgId = "crm-failure-" + FAILURES.incrementAndGet();
        String body = gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\",\"msg_id\":\"" + msgId + "\"");

        Gateway.Response r = gw.postJson(PATH, body);

        assertRefused(r, 504, 280, "Meta API unreachable");
        assertThat(r.ret().path("detail").asText()).contains("may have been delivered");
        JsonNode error = json(metaBody).path("error");
        assertThat(r.ret().path("meta_error").path("code").asInt()).isEqualTo(error.path("code").asInt());
        assertThat(r.ret().path("meta_error").path("fbtrace_id").asText()).isEqualTo(error.path("fbtrace_id").asText());
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.UNKNOWN);
        assertThat(row.error().orElseThrow().statusCode()).isEqualTo(280);
        assertThat(row.error().orElseThrow().metaCode()).isEqualTo(error.path("code").asInt());

        Gateway.Response retry = gw.postJson(PATH, body);

        assertRefused(retry, 504, 280, "Meta API unreachable");
        assertThat(retry.ret().path("cdls_id").asLong()).isEqualTo(row.id());
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
    }

    @ParameterizedTest
    @MethodSource("metaErrors")
    void answersMetasErrorWithItsStatusCodeMetaErrorAndAFailedRow(int httpStatus, String metaBody, int statusCode,
                                                                  String status) {
        gw.metaAnswers(httpStatus, metaBody);

        Gateway.Response r = gw.postJson(PATH, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\",\"msg_id\":\"crm-"
                + statusCode + "\""));

        int expectedHttp = switch (statusCode) {
            case 260 -> 429;
            case 270 -> 502;
            default -> 422;
        };
        assertRefused(r, expectedHttp, statusCode, status);
        JsonNode error = json(metaBody).path("error");
        JsonNode metaError = r.ret().path("meta_error");
        assertThat(metaError.path("code").asInt()).isEqualTo(error.path("code").asInt());
        assertThat(metaError.path("subcode")).isEqualTo(nullIfMissing(error.path("error_subcode")));
        assertThat(metaError.path("type").asText()).isEqualTo(error.path("type").asText());
        assertThat(metaError.path("message").asText()).isEqualTo(error.path("message").asText());
        assertThat(metaError.path("fbtrace_id")).isEqualTo(nullIfMissing(error.path("fbtrace_id")));
        assertThat(r.ret().has("retry_after")).isEqualTo(statusCode == 260);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));

        assertThat(r.ret().path("cdls_id").isIntegralNumber()).as("cdls_id in %s", r.raw()).isTrue();
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.msgId()).contains("crm-" + statusCode);
        assertThat(row.metaMessageId()).isEmpty();
        LoggedError logged = row.error().orElseThrow();
        assertThat(logged.statusCode()).isEqualTo(statusCode);
        assertThat(logged.status()).isEqualTo(status);
        assertThat(logged.metaCode()).isEqualTo(error.path("code").asInt());
        assertThat(logged.metaSubcode()).isEqualTo(error.has("error_subcode") ? error.path("error_subcode").asInt() : null);
        assertThat(logged.metaType()).isEqualTo(error.path("type").asText());
        assertThat(logged.metaMessage()).isEqualTo(error.path("message").asText());
        assertThat(logged.fbtraceId()).isEqualTo(error.has("fbtrace_id") ? error.path("fbtrace_id").asText() : null);
    }

    @Test
    void answers260WithRetryAfter60WhenMetaDoesNotSayHowLong() {
        gw.metaAnswers(400, MetaSamples.read("error-rate-limit-32-page.doc.json"));

        Gateway.Response r = gw.postJson(PATH, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\""));

        assertRefused(r, 429, 260, "Rate limited");
        assertThat(r.ret().path("retry_after").asLong()).isEqualTo(60);
        assertThat(r.headers().firstValue("Retry-After")).contains("60");
    }

    @Test
    void answers260WithMetasEstimatedTimeToRegainAccessInSeconds() {
        String buc = """
                {"17841405793187218":[{"type":"instagram","call_count":100,"total_cputime":25,"total_time":25,\
                "estimated_time_to_regain_access":19}],"107206397796372":[{"type":"pages","call_count":97,\
                "total_cputime":23,"total_time":23,"estimated_time_to_regain_access":0}]}""";
        gw.meta().stubFor(WireMock.post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Business-Use-Case-Usage", buc)
                .withBody(MetaSamples.read("error-rate-limit-80001-buc-page.doc.json"))));
        // the header pauses the line it came for (contract §10): a line of its own, so the other tests' stays free
        long line = gw.newInstagramLine(true, false, Optional.of(Gateway.PAGE_TOKEN));

        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + line
                + ",\"dest\":\"1254477777772919\",\"mdata\":\"hi\"}");

        assertRefused(r, 429, 260, "Rate limited");
        assertThat(r.ret().path("retry_after").asLong()).isEqualTo(19 * 60);
        assertThat(r.headers().firstValue("Retry-After")).contains(Long.toString(19 * 60));
        assertThat(r.ret().path("meta_error").path("code").asInt()).as("Meta's own answer").isEqualTo(80001);
    }

    @Test
    void answers260WithMetasRetryAfterHeader() {
        gw.meta().stubFor(WireMock.post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withHeader("Retry-After", "7")
                .withBody(MetaSamples.error(613, null, "OAuthException", "Calls to this api have exceeded the rate limit.",
                        "AbCdEf613"))));

        Gateway.Response r = gw.postJson(PATH, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\""));

        assertRefused(r, 429, 260, "Rate limited");
        assertThat(r.ret().path("retry_after").asLong()).isEqualTo(7);
        assertThat(r.headers().firstValue("Retry-After")).contains("7");
    }

    @Test
    void answers270ForA4xxWithoutMetasErrorEnvelope() {
        gw.meta().stubFor(WireMock.post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "text/html").withBody("<html><body>Not Found</body></html>")));

        Gateway.Response r = gw.postJson(PATH, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\""));

        assertRefused(r, 502, 270, "Meta API error");
        assertThat(gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow().state())
                .isEqualTo(LogState.FAILED);
    }

    @Test
    void neverEchoesThePageAccessTokenWhenMetaRejectsIt() {
        gw.metaAnswers(400, MetaSamples.error(190, 463, "OAuthException", "Error validating access token: Session has"
                + " expired", "AbCdEf190463"));

        Gateway.Response r = gw.postJson(PATH, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\""));

        assertRefused(r, 422, 250, "Page access token rejected");
        assertThat(r.raw()).doesNotContain(Gateway.PAGE_TOKEN);
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.toString()).doesNotContain(Gateway.PAGE_TOKEN);
    }

    private static JsonNode nullIfMissing(JsonNode node) {
        return node.isMissingNode() ? NullNode.getInstance() : node;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
