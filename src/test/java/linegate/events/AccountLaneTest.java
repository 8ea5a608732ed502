package linegate.events;

import linegate.store.events.DueEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountLaneTest {
    static AccountLane.Claimed claimed(long seq, long leaseUntil) {
        return new AccountLane.Claimed(new DueEvent(seq, "evt_" + seq, 1, seq, 0, 0), null, null, leaseUntil);
    }

    @Test
    void startsAtMostItsConcurrencyAndTheNextOnesAsRequestsEnd() {
        AccountLane lane = new AccountLane(3);
        lane.add(LongStream.rangeClosed(1, 5).mapToObj(seq -> claimed(seq, 100_000)).toList());

        assertThat(lane.startable(1_000)).extracting(c -> c.event().seq()).containsExactly(1L, 2L, 3L);
        assertThat(lane.startable(1_000)).as("no slot free").isEmpty();
        lane.ended();
        assertThat(lane.startable(1_000)).extracting(c -> c.event().seq()).containsExactly(4L);
        assertThat(lane.inFlight()).isEqualTo(3);
        assertThat(lane.waiting()).isEqualTo(1);
    }

    @Test
    void anEventWhoseLeaseWouldRunOutDuringItsAttemptIsDroppedNotPosted() {
        AccountLane lane = new AccountLane(2);
        lane.add(List.of(claimed(1, 5_000), claimed(2, 50_000), claimed(3, 4_000), claimed(4, 60_000)));

        assertThat(lane.startable(10_000)).extracting(c -> c.event().seq()).containsExactly(2L, 4L);
        assertThat(lane.waiting()).isZero();
    }

    @Test
    void runsLowBelowItsConcurrencyOfWaitingEvents() {
        AccountLane lane = new AccountLane(2);
        assertThat(lane.runningLow()).isTrue();
        lane.add(List.of(claimed(1, 9), claimed(2, 9)));
        assertThat(lane.runningLow()).isFalse();
    }

    @Test
    void anEndWithoutARequestInFlightIsABug() {
        assertThatThrownBy(() -> new AccountLane(1).ended()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new AccountLane(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
