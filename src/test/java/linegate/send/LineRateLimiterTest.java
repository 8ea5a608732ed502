package linegate.send;

import linegate.meta.OutboundMessage.Kind;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A line's budget (contract §10): its own or the default, at most 10/s for audio and video, shared by the live nodes. */
class LineRateLimiterTest {
    static int taken(LineRateLimiter limiter, long line, OptionalInt own, Kind kind) {
        return count(() -> limiter.tryAcquire(line, own, kind).isEmpty());
    }

    static int takenSmoothly(LineRateLimiter limiter, long line, OptionalInt own, Kind kind) {
        return count(() -> limiter.tryAcquireSmoothly(line, own, kind).isEmpty());
    }

    /** How many sends in a row were taken. */
    private static int count(java.util.function.BooleanSupplier take) {
        int n = 0;
        while (take.getAsBoolean() && n < 10_000) {
            n++;
        }
        return n;
    }

    @Test
    void aLineTakesItsOwnBudgetOrTheDefaultAtOnceThenWaits() {
        LineRateLimiter limiter = new LineRateLimiter(40, () -> 1, new Frozen());

        assertThat(taken(limiter, 1, OptionalInt.empty(), Kind.TEXT)).isEqualTo(40);
        assertThat(taken(limiter, 2, OptionalInt.of(7), Kind.TEXT)).isEqualTo(7);
        assertThat(limiter.tryAcquire(2, OptionalInt.of(7), Kind.TEXT)).hasValue(1);
    }

    @Test
    void theLiveNodesShareEachBudgetEqually() {
        AtomicInteger nodes = new AtomicInteger(4);
        LineRateLimiter limiter = new LineRateLimiter(40, nodes::get, new Frozen());

        assertThat(taken(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("a quarter of 40").isEqualTo(10);
        assertThat(taken(limiter, 2, OptionalInt.of(3), Kind.TEXT)).as("less than one each: one send").isEqualTo(1);

        nodes.set(1);
        assertThat(taken(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("rebuilt for one node").isEqualTo(40);
    }

    @Test
    void audioAndVideoTakeAtMostTenASecondOfTheLinesBudget() {
        LineRateLimiter limiter = new LineRateLimiter(100, () -> 2, new Frozen());

        assertThat(taken(limiter, 1, OptionalInt.empty(), Kind.VIDEO)).as("10/s shared by 2").isEqualTo(5);
        assertThat(taken(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("the rest of the line's 50").isEqualTo(45);
        assertThat(taken(limiter, 2, OptionalInt.of(4), Kind.AUDIO)).as("a budget under 10").isEqualTo(2);
    }

    /** Buckets that never refill unless the test moves their clock. */
    static final class Frozen implements TimeMeter {
        long nanos;

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }

    @Test
    void aSenderThatCanWaitTakesATenthOfAFullBucketAtMostAndLeavesTheRestToDirectSends() {
        Frozen time = new Frozen();
        LineRateLimiter limiter = new LineRateLimiter(100, () -> 1, time);

        assertThat(takenSmoothly(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("a tenth of 100").isEqualTo(10);
        assertThat(taken(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("direct sends: the rest").isEqualTo(90);
        assertThat(takenSmoothly(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("an empty bucket").isZero();

        time.nanos += 50_000_000L;
        assertThat(takenSmoothly(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("a twentieth after 50 ms: not yet")
                .isZero();
        time.nanos += 950_000_000L;
        assertThat(takenSmoothly(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("full again after 1 s")
                .isEqualTo(10);

        taken(limiter, 2, OptionalInt.of(50), Kind.TEXT);
        assertThat(limiter.tryAcquireSmoothly(2, OptionalInt.of(50), Kind.TEXT)).as("direct sends took it")
                .hasValue(1);
    }

    @Test
    void underTenASecondASenderThatCanWaitTakesOnlyFromAFullBucket() {
        Frozen time = new Frozen();
        LineRateLimiter limiter = new LineRateLimiter(100, () -> 1, time);

        assertThat(takenSmoothly(limiter, 1, OptionalInt.of(2), Kind.TEXT)).isEqualTo(1);
        assertThat(taken(limiter, 1, OptionalInt.of(2), Kind.TEXT)).as("one left for a direct send").isEqualTo(1);
        time.nanos += 499_000_000L;
        assertThat(takenSmoothly(limiter, 1, OptionalInt.of(2), Kind.TEXT)).as("not yet full").isZero();
        time.nanos += 501_000_000L;
        assertThat(takenSmoothly(limiter, 1, OptionalInt.of(2), Kind.TEXT)).as("full after 1 s").isEqualTo(1);
        assertThat(takenSmoothly(limiter, 3, OptionalInt.empty(), Kind.VIDEO)).as("10/s of video: one at a time")
                .isEqualTo(1);
    }
}
