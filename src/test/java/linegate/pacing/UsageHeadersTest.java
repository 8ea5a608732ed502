package linegate.pacing;

import linegate.meta.MetaUsage;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Meta's usage headers as its documentation shows them (shared/meta/samples), and values that are not of that shape. */
class UsageHeadersTest {
    /**
     * A documented sample as the header's value: the name before the colon, the comments and the "..." line that
     * stands for more objects are the documentation's, not the header's.
     */
    static String headerValue(String sample) {
        String body = MetaSamples.read(sample);
        body = body.substring(body.indexOf(':') + 1);
        return body.lines().map(line -> line.replaceAll("//.*$", "")).filter(line -> !line.strip().equals("..."))
                .collect(Collectors.joining("\n")).replaceAll(",\\s*}\\s*$", "\n}");
    }

    static MetaUsage app(String value) {
        return new MetaUsage(Optional.of(value), Optional.empty(), Optional.empty());
    }

    static MetaUsage business(String value) {
        return new MetaUsage(Optional.empty(), Optional.of(value), Optional.empty());
    }

    @Test
    void theAppUsageSampleGivesItsHighestPercentage() {
        UsageHeaders.Reading r = UsageHeaders.read(app(headerValue("header-x-app-usage.doc.jsonc")));

        assertThat(r.malformed()).isEmpty();
        assertThat(r.figures().app()).isEqualTo(OptionalInt.of(28));
        assertThat(r.figures().lineHighest()).isEmpty();
        assertThat(r.figures().regainMinutes()).isEmpty();
    }

    @Test
    void theBusinessUseCaseSampleGivesTheHighestFigureOverEveryObjectAndTheLongestWait() {
        UsageHeaders.Reading r = UsageHeaders.read(business(headerValue("header-x-business-use-case-usage.doc.jsonc")));

        assertThat(r.malformed()).isEmpty();
        assertThat(r.figures().business()).isEqualTo(OptionalInt.of(100));
        assertThat(r.figures().regainMinutes()).isEqualTo(OptionalLong.of(19));
        assertThat(r.figures().lineHighest()).isEqualTo(OptionalInt.of(100));
    }

    @Test
    void pageUsageHasTheAppUsagesShapeAndCountsForTheLine() {
        UsageHeaders.Reading r = UsageHeaders.read(new MetaUsage(Optional.empty(), Optional.empty(),
                Optional.of("{\"call_count\":12,\"total_cputime\":96,\"total_time\":40,\"estimated_time_to_regain_access\":3}")));

        assertThat(r.figures().page()).isEqualTo(OptionalInt.of(96));
        assertThat(r.figures().lineHighest()).isEqualTo(OptionalInt.of(96));
        assertThat(r.figures().regainMinutes()).isEqualTo(OptionalLong.of(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "{}", "{\"call_count\":\"28\"}", "{\"call_count\":-1}",
            "{\"call_count\":1e999999}", "{\"call_count\":123456789012345}", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}",
            "{\"call_count\":5,\"estimated_time_to_regain_access\":\"soon\"}", "null", "", "{\"call_count\":5"})
    void aValueOfAnotherShapeIsReportedByNameAndCountsForNothing(String value) {
        UsageHeaders.Reading asApp = UsageHeaders.read(app(value));
        UsageHeaders.Reading asBusiness = UsageHeaders.read(business(value));

        assertThat(asApp.malformed()).containsExactly("X-App-Usage");
        assertThat(asApp.figures().isEmpty()).isTrue();
        assertThat(asBusiness.malformed()).containsExactly("X-Business-Use-Case-Usage");
        assertThat(asBusiness.figures().isEmpty()).isTrue();
    }

    @Test
    void oneBadHeaderDoesNotSpoilTheOthers() {
        UsageHeaders.Reading r = UsageHeaders.read(new MetaUsage(Optional.of("{\"call_count\":50}"),
                Optional.of("{\"123\":[{\"type\":\"instagram\",\"call_count\":\"x\"}]}"), Optional.empty()));

        assertThat(r.malformed()).containsExactly("X-Business-Use-Case-Usage");
        assertThat(r.figures().app()).isEqualTo(OptionalInt.of(50));
        assertThat(r.figures().business()).isEmpty();
    }

    @Test
    void noHeadersNoFigures() {
        UsageHeaders.Reading r = UsageHeaders.read(MetaUsage.NONE);

        assertThat(r.malformed()).isEmpty();
        assertThat(r.figures()).isEqualTo(UsageFigures.NONE);
    }
}
