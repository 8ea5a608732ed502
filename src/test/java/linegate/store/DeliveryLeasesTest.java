package linegate.store;

import linegate.store.events.Deliveries;
import linegate.store.events.DueEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A callback lease left by an earlier process is freed when the embedded database's one node starts again, so its
 * event is claimable at once instead of after the lease; this node's own leases are left alone.
 */
class DeliveryLeasesTest extends StoreTestBase {
    static final long T0 = StoreFixture.T0.toEpochMilli();
    static final long LEASE_UNTIL = T0 + 60_000;


    @BeforeEach
    void open() {
        stores.callbacks().setUrl(account, "https://crm.example.com/hook", "whsec_leaseTestSecret0123456789abcdef");
        long line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(),
                Optional.of("17841405793187218"), Optional.empty(), true, false));
        long cdlsId = stores.log().append(new NewLogEntry(account, line, LineClass.INSTAGRAM, "1254477777772919", "text",
                "hello", Optional.empty(), Optional.empty(), Optional.empty(), T0)).cdlsId();
        stores.log().finish(cdlsId, new LogOutcome.Sent("aWdf.1", T0));
    }

    private List<DueEvent> claim(long node) {
        return stores.deliveries().claim(account, node, T0 + 1, LEASE_UNTIL, 8);
    }

    @Test
    void anEarlierProcesssLeaseIsFreedAndItsEventClaimableAtOnce() {
        assertThat(claim(1)).hasSize(1);
        assertThat(claim(2)).as("held by node 1's lease").isEmpty();

        assertThat(stores.deliveries().releaseLeasesOfOtherNodes(2)).isEqualTo(1);

        assertThat(claim(2)).as("claimable by the new node at once").hasSize(1);
    }

    @Test
    void thisNodesOwnLeasesAreLeftAlone() {
        assertThat(claim(1)).hasSize(1);

        assertThat(stores.deliveries().releaseLeasesOfOtherNodes(1)).isZero();

        assertThat(claim(2)).isEmpty();
    }

    @Test
    void outcomesRecordedTogetherEachNeedTheirLeaseAndSettleTheirEvents() {
        for (String peer : List.of("1254477777772920", "1254477777772921")) {
            long line = stores.lines().list(Optional.of(account)).getFirst().id();
            long cdlsId = stores.log().append(new NewLogEntry(account, line, LineClass.INSTAGRAM, peer, "text", "hello",
                    Optional.empty(), Optional.empty(), Optional.empty(), T0)).cdlsId();
            stores.log().finish(cdlsId, new LogOutcome.Sent("aWdf." + peer, T0));
        }
        List<DueEvent> mine = claim(1);
        assertThat(mine).hasSize(3);

        List<Boolean> held = stores.deliveries().recordAll(1, List.of(
                new Deliveries.Outcome.Delivered(mine.get(0).id(), T0 + 5),
                new Deliveries.Outcome.Retry(mine.get(1).id(), T0 + 10_000, "HTTP 503"),
                new Deliveries.Outcome.Dead(mine.get(2).id(), "HTTP 410"),
                new Deliveries.Outcome.Delivered(mine.get(0).id(), T0 + 6)));

        assertThat(held).as("the last one: delivered already, no lease any more").containsExactly(true, true, true, false);
        assertThat(stores.deliveries().list(Optional.of(account), Optional.empty(), 10))
                .extracting(e -> e.seq() + " " + e.delivery() + " " + e.attempts() + " " + e.lastError().orElse("-"))
                .containsExactly("3 dead 1 HTTP 410", "2 pending 1 HTTP 503", "1 delivered 1 -");
        assertThat(stores.deliveries().recordAll(2, List.of(new Deliveries.Outcome.Delivered(mine.get(1).id(), T0))))
                .as("another node's outcome for an event it never claimed").containsExactly(false);
    }
}
