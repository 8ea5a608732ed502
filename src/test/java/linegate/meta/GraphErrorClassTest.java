package linegate.meta;

import linegate.testing.MetaSamples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * {@link GraphErrorClass}: Meta's code and subcode decide the class, as in docs/meta-facts.md#error-classes; type and
 * HTTP status never do. Codes 1 and 2 (Meta's "unknown" and "unexpected, retry later") are left out here: how their
 * transient form is classified is being decided elsewhere.
 */
class GraphErrorClassTest {

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(nullValues = "none", textBlock = """
            10,   2534022, WINDOW_CLOSED
            10,   2018278, WINDOW_CLOSED
            10,   2018065, WINDOW_CLOSED
            10,   2018108, RECIPIENT_UNAVAILABLE
            551,  none,    RECIPIENT_UNAVAILABLE
            551,  1545041, RECIPIENT_UNAVAILABLE
            200,  1545041, RECIPIENT_UNAVAILABLE
            100,  2018001, NO_MATCHING_USER
            100,  2534014, NO_MATCHING_USER
            100,  2018008, MEDIA_REJECTED
            100,  2018047, MEDIA_REJECTED
            100,  2018109, MEDIA_REJECTED
            100,  2018294, MEDIA_REJECTED
            190,  none,    TOKEN_REJECTED
            190,  460,     TOKEN_REJECTED
            190,  463,     TOKEN_REJECTED
            102,  none,    TOKEN_REJECTED
            10,   none,    NOT_PERMITTED
            10,   1893063, NOT_PERMITTED
            10,   2534077, NOT_PERMITTED
            200,  none,    NOT_PERMITTED
            200,  2534041, NOT_PERMITTED
            3,    none,    NOT_PERMITTED
            4,    none,    RATE_LIMITED
            17,   none,    RATE_LIMITED
            32,   none,    RATE_LIMITED
            613,  none,    RATE_LIMITED
            613,  2534040, RATE_LIMITED
            80001, none,   RATE_LIMITED
            80002, none,   RATE_LIMITED
            80006, none,   RATE_LIMITED
            100,  none,    OTHER
            100,  33,      OTHER
            100,  2534015, OTHER
            551,  2534022, RECIPIENT_UNAVAILABLE
            2018300, none, OTHER
            36000, 2207004, OTHER
            """)
    void classifiesByCodeAndSubcode(Integer code, Integer subcode, GraphErrorClass expected) {
        assertThat(GraphErrorClass.of(code, subcode)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonsense")
    void anErrorWithoutACodeIsOther(Integer code, Integer subcode) {
        assertThat(GraphErrorClass.of(code, subcode)).isEqualTo(GraphErrorClass.OTHER);
    }

    static Stream<Arguments> nonsense() {
        return Stream.of(argumentSet("no code", null, null), argumentSet("a subcode without a code", null, 2534022));
    }

    /** Meta's error samples, read as Meta sends them (HTTP 400), then classified. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            error-envelope-graph-error-handling.doc.json, TOKEN_REJECTED
            error-envelope-messenger-common.doc.json,     TOKEN_REJECTED
            error-field-alias-100.doc.json,               OTHER
            error-ig-platform-with-is-transient.doc.json, OTHER
            error-rate-limit-32-page.doc.json,            RATE_LIMITED
            error-rate-limit-80001-buc-page.doc.json,     RATE_LIMITED
            """)
    void classifiesMetasErrorSamples(String sample, GraphErrorClass expected) {
        GraphOutcome outcome = HttpGraphClient.read(GraphAnswer.of(400, MetaSamples.read(sample)));

        assertThat(outcome).isInstanceOfSatisfying(GraphOutcome.Rejected.class,
                r -> assertThat(r.error().classify()).isEqualTo(expected));
    }

    /** The same window error is HTTP 403 IGApiException on Instagram Login and HTTP 400 OAuthException on Messenger. */
    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource(textBlock = """
            403, IGApiException
            400, OAuthException
            400, GraphMethodException
            """)
    void neitherTypeNorHttpStatusChangesTheClass(int status, String type) {
        String body = MetaSamples.error(10, 2534022, type, "This message is sent outside of allowed window.", "AbC123xYz");

        GraphOutcome outcome = HttpGraphClient.read(GraphAnswer.of(status, body));

        assertThat(outcome).isInstanceOfSatisfying(GraphOutcome.Rejected.class,
                r -> assertThat(r.error().classify()).isEqualTo(GraphErrorClass.WINDOW_CLOSED));
    }
}
