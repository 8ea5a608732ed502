package linegate.send;

import linegate.meta.OutboundMessage.Kind;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A line's budget (contract §10): its own or the default, at most 10/s for audio and video, shared by the live nodes. */
class LineRateLimiterTest {
    static int taken(LineRateLimiter limiter, long line, OptionalInt own, Kind kind) {
        int n = 0;
        while (limiter.tryAcquire(line, own, kind).isEmpty() && n < 10_000) {
            n++;
        }
        return n;
    }

    @Test
    void aLineTakesItsOwnBudgetOrTheDefaultAtOnceThenWaits() {
        LineRateLimiter limiter = new LineRateLimiter(40);

        assertThat(taken(limiter, 1, OptionalInt.empty(), Kind.TEXT)).isEqualTo(40);
        assertThat(taken(limiter, 2, OptionalInt.of(7), Kind.TEXT)).isEqualTo(7);
        assertThat(limiter.tryAcquire(2, OptionalInt.of(7), Kind.TEXT)).hasValue(1);
    }

    @Test
    void theLiveNodesShareEachBudgetEqually() {
        AtomicInteger nodes = new AtomicInteger(4);
        LineRateLimiter limiter = new LineRateLimiter(40, nodes::get);

        assertThat(taken(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("a quarter of 40").isEqualTo(10);
        assertThat(taken(limiter, 2, OptionalInt.of(3), Kind.TEXT)).as("less than one each: one send").isEqualTo(1);

        nodes.set(1);
        assertThat(taken(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("rebuilt for one node").isEqualTo(40);
    }

    @Test
    void audioAndVideoTakeAtMostTenASecondOfTheLinesBudget() {
        LineRateLimiter limiter = new LineRateLimiter(100, () -> 2);

        assertThat(taken(limiter, 1, OptionalInt.empty(), Kind.VIDEO)).as("10/s shared by 2").isEqualTo(5);
        assertThat(taken(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("the rest of the line's 50").isEqualTo(45);
        assertThat(taken(limiter, 2, OptionalInt.of(4), Kind.AUDIO)).as("a budget under 10").isEqualTo(2);
    }

    static int takenSmoothly(LineRateLimiter limiter, long line, OptionalInt own, Kind kind) {
        int n = 0;
        while (limiter.tryAcquireSmoothly(line, own, kind).isEmpty() && n < 10_000) {
            n++;
        }
        return n;
    }

    @Test
    void aSenderThatCanWaitTakesATenthOfAFullBucketAtMostAndLeavesTheRestToDirectSends() {
        LineRateLimiter limiter = new LineRateLimiter(100);

        assertThat(takenSmoothly(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("a tenth of 100").isEqualTo(10);
        assertThat(taken(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("direct sends: the rest").isEqualTo(90);
        assertThat(takenSmoothly(limiter, 1, OptionalInt.empty(), Kind.TEXT)).as("an empty bucket").isZero();

        taken(limiter, 2, OptionalInt.of(50), Kind.TEXT);
        assertThat(limiter.tryAcquireSmoothly(2, OptionalInt.of(50), Kind.TEXT)).as("direct sends took it")
                .hasValue(1);
    }

    @Test
    void underTenASecondASenderThatCanWaitTakesOnlyFromAFullBucket() {
        LineRateLimiter limiter = new LineRateLimiter(100);

        assertThat(takenSmoothly(limiter, 1, OptionalInt.of(2), Kind.TEXT)).isEqualTo(1);
        assertThat(taken(limiter, 1, OptionalInt.of(2), Kind.TEXT)).as("one left for a direct send").isEqualTo(1);
        assertThat(takenSmoothly(limiter, 3, OptionalInt.empty(), Kind.VIDEO)).as("10/s of video: one at a time")
                .isEqualTo(1);
    }
}
