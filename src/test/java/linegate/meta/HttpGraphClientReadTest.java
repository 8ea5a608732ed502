package linegate.meta;

import linegate.testing.MetaSamples;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link HttpGraphClient} reads the Send API's answer: Meta's success JSON, its error envelopes, bodies that are not
 * JSON, a success without a message id, and the headers that say how long to wait. Only Meta's 4xx error answers are
 * pinned here; how 5xx error envelopes (code 2, is_transient) are read is being decided elsewhere.
 */
class HttpGraphClientReadTest {
    private static final String IG_MESSAGE_ID = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjEyNTAyNDAyNjQwOTMwOjM0MDI4MjM2Njg0MTcxMDM"
            + "wMTI0NDI1ODE4NzUxOTk3OTcyODI5MjozMjM4NzQ4MDk1NTU2NDIxMjIzNDE1NjY3NTg0NzY4NDA5NgZDZD";

    // ---- success ----

    @Test
    void aSenderActionsSuccessWithoutMessageIdIsSent() {
        // Meta's reaction answer: for a sender action it is the whole success
        GraphOutcome outcome = HttpGraphClient.read(GraphAnswer.of(200, MetaSamples.read("ig-react-unreact-success.doc.json")),
                false);

        assertThat(outcome).isEqualTo(new GraphOutcome.Sent(null, "IGSID", MetaUsage.NONE));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            ig-send-success.doc.json,                              MESSAGE-ID, IGSID
            messenger-send-success.doc.json,                       AG5Hz2U..., PAGE-SCOPED-ID
            ig-send-generic-template-success.postman-example.json, $IG,        20802401916297
            """)
    void aSuccessIsSentWithMetasMessageIdAndRecipient(String sample, String messageId, String recipientId) {
        String expectedId = messageId.equals("$IG") ? IG_MESSAGE_ID : messageId;

        assertThat(HttpGraphClient.read(GraphAnswer.of(200, MetaSamples.read(sample))))
                .isEqualTo(new GraphOutcome.Sent(expectedId, recipientId, MetaUsage.NONE));
    }

    @Test
    void fieldsBeyondRecipientAndMessageIdAreIgnored() {
        String body = Webhooks.sample("ig-upload-and-send-success.doc.json", "<IGSID>", "1254477777772919",
                "<MESSAGE_ID>", IG_MESSAGE_ID, "<ATTACHMENT_ID>", "1601472827243653");

        assertThat(HttpGraphClient.read(GraphAnswer.of(200, body)))
                .isEqualTo(new GraphOutcome.Sent(IG_MESSAGE_ID, "1254477777772919", MetaUsage.NONE));
    }

    @Test
    void aSuccessWithoutMessageIdIsNoUsableAnswer() {
        // Meta's reaction answer has only recipient_id; for a message it means nobody knows whether it was sent
        GraphOutcome outcome = HttpGraphClient.read(GraphAnswer.of(200, MetaSamples.read("ig-react-unreact-success.doc.json")));

        assertThat(outcome).isEqualTo(new GraphOutcome.Unreachable("Meta answered HTTP 200 without a message_id"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"recipient_id\":\"1254477777772919\",\"message_id\":\"\"}",
            "{\"recipient_id\":\"1254477777772919\",\"message_id\":null}", "OK", "<html><body>Accepted</body></html>", "", "[]"})
    void aSuccessStatusWithoutAMessageIdIsUnreachable(String body) {
        assertThat(HttpGraphClient.read(GraphAnswer.of(200, body)))
                .isEqualTo(new GraphOutcome.Unreachable("Meta answered HTTP 200 without a message_id"));
    }

    @Test
    void aNullBodyIsReadAsEmpty() {
        assertThat(HttpGraphClient.read(GraphAnswer.of(202, null)))
                .isEqualTo(new GraphOutcome.Unreachable("Meta answered HTTP 202 without a message_id"));
    }

    // ---- error envelopes ----

    @Test
    void theGraphErrorEnvelopeKeepsEveryFactLinegateReports() {
        GraphOutcome outcome = HttpGraphClient.read(GraphAnswer.of(400,
                MetaSamples.read("error-envelope-graph-error-handling.doc.json")));

        assertThat(outcome).isEqualTo(new GraphOutcome.Rejected(new GraphError(190, 460, "OAuthException",
                "Message describing the error", "EJplcsCHuLu", 400, Optional.empty()), MetaUsage.NONE));
    }

    @Test
    void anEnvelopeWithoutSubcodeOrTraceLeavesThemNull() {
        GraphOutcome outcome = HttpGraphClient.read(GraphAnswer.of(400, MetaSamples.read("error-field-alias-100.doc.json")));

        assertThat(outcome).isEqualTo(new GraphOutcome.Rejected(new GraphError(100, null, "OAuthException",
                "(#100) Unknown fields: my_name.", null, 400, Optional.empty()), MetaUsage.NONE));
    }

    @Test
    void anInstagramErrorWithIsTransientFalseIsReadLikeAnyOther() {
        GraphOutcome outcome = HttpGraphClient.read(GraphAnswer.of(400,
                MetaSamples.read("error-ig-platform-with-is-transient.doc.json")));

        assertThat(outcome).isEqualTo(new GraphOutcome.Rejected(new GraphError(36000, 2207004, "OAuthException",
                "The image size is too large.", "A6LJylpZRKw2xKLFsAP-cJh", 400, Optional.empty()), MetaUsage.NONE));
    }

    @Test
    void aForbiddenWindowErrorKeepsItsHttpStatus() {
        String body = MetaSamples.error(10, 2534022, "IGApiException", "This message is sent outside of allowed window.",
                "AbC123xYz");

        assertThat(HttpGraphClient.read(GraphAnswer.of(403, body))).isEqualTo(new GraphOutcome.Rejected(new GraphError(10,
                2534022, "IGApiException", "This message is sent outside of allowed window.", "AbC123xYz", 403, Optional.empty()), MetaUsage.NONE));
    }

    // ---- answers that are not an envelope ----

    @ParameterizedTest(name = "HTTP {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            400 | <html><body>Bad Request</body></html>
            404 | Not Found
            403 | {"message":"forbidden"}
            401 | ''
            """)
    void aClientErrorWithoutEnvelopeIsRejectedWithoutCode(int status, String body) {
        assertThat(HttpGraphClient.read(GraphAnswer.of(status, body))).isEqualTo(new GraphOutcome.Rejected(new GraphError(null,
                null, null, "HTTP " + status + " without an error envelope", null, status, Optional.empty()), MetaUsage.NONE));
    }

    @ParameterizedTest(name = "HTTP {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            502 | <html><body>Bad Gateway</body></html>
            503 | Service Unavailable
            500 | ''
            """)
    void aServerErrorWithoutEnvelopeIsUnreachable(int status, String body) {
        assertThat(HttpGraphClient.read(GraphAnswer.of(status, body)))
                .isEqualTo(new GraphOutcome.Unreachable("Meta answered HTTP " + status + " without an error envelope"));
    }

    // ---- how long Meta asks us to wait ----

    @Test
    void retryAfterSecondsComeWithTheError() {
        GraphOutcome outcome = HttpGraphClient.read(GraphAnswer.of(400, MetaSamples.read("error-rate-limit-32-page.doc.json"),
                "Retry-After", "30"));

        assertThat(outcome).isInstanceOfSatisfying(GraphOutcome.Rejected.class,
                r -> assertThat(r.error().retryAfterSeconds()).contains(30L));
    }

    @ParameterizedTest(name = "Retry-After: {0}")
    @CsvSource(textBlock = """
            0,   1
            ' 7 ', 7
            """)
    void aRetryAfterOfZeroWaitsOneSecond(String header, long seconds) {
        assertThat(HttpGraphClient.retryAfter(GraphAnswer.of(429, "", "Retry-After", header))).contains(seconds);
    }

    @Test
    void theBusinessUseCaseHeaderGivesTheLongestTimeToRegainAccessInSeconds() {
        GraphOutcome outcome = HttpGraphClient.read(GraphAnswer.of(400,
                MetaSamples.read("error-rate-limit-80001-buc-page.doc.json"), "X-Business-Use-Case-Usage", bucSample()));

        assertThat(outcome).isInstanceOfSatisfying(GraphOutcome.Rejected.class, r -> {
            assertThat(r.error().code()).isEqualTo(80001);
            assertThat(r.error().retryAfterSeconds()).contains(19 * 60L);
        });
    }

    @Test
    void retryAfterWinsOverTheBusinessUseCaseHeader() {
        assertThat(HttpGraphClient.retryAfter(GraphAnswer.of(400, "", "Retry-After", "5", "X-Business-Use-Case-Usage",
                bucSample()))).contains(5L);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"66782684\":[{\"type\":\"pages\",\"call_count\":95,\"estimated_time_to_regain_access\":0}]}",
            "{\"66782684\":[{\"type\":\"pages\",\"call_count\":95}]}",
            "not json",
            ""})
    void noPositiveTimeToRegainAccessIsNoWait(String header) {
        assertThat(HttpGraphClient.retryAfter(GraphAnswer.of(400, "", "X-Business-Use-Case-Usage", header))).isEmpty();
    }

    @Test
    void anUnreadableRetryAfterFallsBackToTheBusinessUseCaseHeader() {
        assertThat(HttpGraphClient.retryAfter(GraphAnswer.of(400, "", "Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT",
                "X-Business-Use-Case-Usage", bucSample()))).contains(19 * 60L);
    }

    @Test
    void noHeaderIsNoWait() {
        assertThat(HttpGraphClient.retryAfter(GraphAnswer.of(400, ""))).isEmpty();
    }

    /** header-x-business-use-case-usage.doc.jsonc's value: its name, comments and the closing "..." taken off. */
    private static String bucSample() {
        String doc = MetaSamples.read("header-x-business-use-case-usage.doc.jsonc");
        String value = doc.substring(doc.indexOf(':') + 1).replace("...\n", "");
        return Webhooks.strictJson(Webhooks.strict(value)).replaceAll("\\s*\\n\\s*", "");
    }
}
