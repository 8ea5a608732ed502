package linegate.pacing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.meta.GraphError;
import linegate.meta.GraphOutcome;
import linegate.meta.MetaUsage;
import linegate.store.UsagePauses;
import linegate.testing.StoresPerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pauses on Meta's usage (contract §10) on real SQLite and PostgreSQL: when they start, how long they last, what they
 * cover, and that a second node sharing the database honours a pause the first recorded once it refreshes.
 */
class LinePausesTest extends StoresPerTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final long LINE = 7;
    static final long OTHER_LINE = 8;

    LinePausesTest() {
        super(T0);
    }

    LinePauses pauses;

    @BeforeEach
    void open() {
        pauses = node();
    }

    LinePauses node() {
        return new LinePauses(stores.pauses(), 95, clock, new SimpleMeterRegistry());
    }

    static GraphOutcome sent(MetaUsage usage) {
        return new GraphOutcome.Sent("aWdf.1", "1254477777772919", usage);
    }

    static GraphOutcome rejected(int code, MetaUsage usage) {
        return new GraphOutcome.Rejected(new GraphError(code, null, "OAuthException", "limit", "trace", 400,
                Optional.empty()), usage);
    }

    static MetaUsage business(int percent, int regainMinutes) {
        return new MetaUsage(Optional.empty(), Optional.of("{\"17841405793187218\":[{\"type\":\"instagram\",\"call_count\":"
                + percent + ",\"total_cputime\":1,\"total_time\":1,\"estimated_time_to_regain_access\":" + regainMinutes
                + "}]}"), Optional.empty());
    }

    static MetaUsage app(int percent) {
        return new MetaUsage(Optional.of("{\"call_count\":" + percent + ",\"total_cputime\":1,\"total_time\":1}"),
                Optional.empty(), Optional.empty());
    }

    @Test
    void aLineFigureAtTheThresholdPausesThatLineUntilMetasEstimate() {
        pauses.observe(LINE, sent(business(97, 19)));

        LinePauses.Active active = pauses.pausedFor(LINE).orElseThrow();
        assertThat(active.until()).isEqualTo(T0.plus(Duration.ofMinutes(19)));
        assertThat(active.secondsLeft()).isEqualTo(19 * 60);
        assertThat(active.reason()).contains("97%").contains("LINEGATE_USAGE_PAUSE_PERCENT=95");
        assertThat(pauses.pausedFor(OTHER_LINE)).as("the line's own usage").isEmpty();

        clock.advance(Duration.ofMinutes(19));
        assertThat(pauses.pausedFor(LINE)).as("over at Meta's time").isEmpty();
    }

    @Test
    void belowTheThresholdNothingPausesAndAZeroEstimateStillPausesAMinute() {
        pauses.observe(LINE, sent(business(94, 30)));
        assertThat(pauses.pausedFor(LINE)).isEmpty();

        pauses.observe(LINE, sent(business(95, 0)));
        assertThat(pauses.pausedFor(LINE).orElseThrow().secondsLeft()).isEqualTo(LinePauses.MIN_PAUSE.toSeconds());
    }

    @Test
    void theAppsUsagePausesEveryLine() {
        pauses.observe(LINE, sent(app(99)));

        assertThat(pauses.pausedFor(LINE)).isPresent();
        assertThat(pauses.pausedFor(OTHER_LINE).orElseThrow().reason()).contains("X-App-Usage reached 99%");
    }

    @Test
    void aRateLimitCodeWithAUsageHeaderPausesWithoutOneNothing() {
        pauses.observe(LINE, rejected(613, MetaUsage.NONE));
        assertThat(pauses.pausedFor(LINE)).as("no header: each send answers Meta's code").isEmpty();

        pauses.observe(LINE, rejected(613, business(40, 5)));
        assertThat(pauses.pausedFor(LINE).orElseThrow().reason()).contains("rate-limit code 613");
        assertThat(pauses.pausedFor(LINE).get().secondsLeft()).isEqualTo(300);
        assertThat(pauses.pausedFor(OTHER_LINE)).isEmpty();

        pauses.observe(OTHER_LINE, rejected(4, business(10, 0)));
        assertThat(pauses.pausedFor(LINE + 100)).as("code 4 is the app's limit").isPresent();
    }

    @Test
    void anotherErrorOrAMalformedHeaderPausesNothing() {
        pauses.observe(LINE, rejected(100, business(40, 5)));
        pauses.observe(LINE, sent(new MetaUsage(Optional.of("{\"call_count\":\"all of it\"}"),
                Optional.of("[]"), Optional.of("<html>"))));

        assertThat(pauses.pausedFor(LINE)).isEmpty();
        assertThat(stores.pauses().holding(clock.millis())).isEmpty();
    }

    @Test
    void anotherNodeHonoursThePauseOnceItRefreshes() {
        LinePauses other = node();
        pauses.observe(LINE, sent(business(100, 2)));
        assertThat(other.pausedFor(LINE)).as("before its refresh").isEmpty();

        other.refresh();

        assertThat(other.pausedFor(LINE).orElseThrow().until()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
        assertThat(other.pausedFor(OTHER_LINE)).isEmpty();
    }

    @Test
    void aShorterPauseNeverShortensTheOneHeldOnAnyNode() {
        pauses.observe(LINE, sent(business(100, 10)));
        LinePauses other = node();
        other.observe(LINE, sent(business(100, 1)));

        assertThat(stores.pauses().holding(clock.millis())).singleElement()
                .extracting(UsagePauses.Pause::untilMillis).isEqualTo(T0.plus(Duration.ofMinutes(10)).toEpochMilli());
        other.refresh();
        assertThat(other.pausedFor(LINE).orElseThrow().until()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    }

    @Test
    void aPauseThatCannotBeRecordedStillHoldsHere() {
        stores.close();

        pauses.observe(LINE, sent(business(100, 3)));

        assertThat(pauses.pausedFor(LINE)).isPresent();
        pauses.refresh(); // logs, never throws
        assertThat(pauses.pausedFor(LINE)).isPresent();
    }

    @Test
    void keepsTheLastReadingOfEachLineWithTheTimeThisNodeReadIt() {
        assertThat(pauses.lastUsage(LINE)).as("nothing read yet").isEmpty();
        pauses.observe(LINE, sent(business(40, 0)));
        clock.advance(Duration.ofSeconds(5));
        pauses.observe(LINE, sent(app(12)));
        pauses.observe(OTHER_LINE, sent(MetaUsage.NONE));

        LinePauses.LastUsage last = pauses.lastUsage(LINE).orElseThrow();
        assertThat(last.readAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(last.figures().app()).hasValue(12);
        assertThat(last.figures().business()).as("the last answer's headers, as the gauges show them").isEmpty();
        assertThat(pauses.lastUsage(OTHER_LINE)).as("an answer without usage headers").isEmpty();
    }
}
