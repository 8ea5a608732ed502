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
 * event is claimable at once instead of after the lease; this node's own leases are left alone. A node claims ahead of
 * its requests only while it is the one node holding the account's leases, so the nodes together never have more
 * than the account's concurrency in flight.
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
        return stores.deliveries().claim(account, node, T0 + 1, LEASE_UNTIL, 8, 8);
    }

    /** Sent messages to {@code n} more peers: one message.status event each, each its own conversation. */
    private void sentToMorePeers(int n) {
        long line = stores.lines().list(Optional.of(account)).getFirst().id();
        for (int i = 0; i < n; i++) {
            long cdlsId = stores.log().append(new NewLogEntry(account, line, LineClass.INSTAGRAM, "99" + (1000 + i), "text",
                    "hello", Optional.empty(), Optional.empty(), Optional.empty(), T0)).cdlsId();
            stores.log().finish(cdlsId, new LogOutcome.Sent("aWdf.more" + i, T0));
        }
    }

    @Test
    void aNodeClaimsAheadOnlyWhileNoOtherNodeHoldsALease() {
        sentToMorePeers(29); // 30 conversations, one due event each
        Deliveries d = stores.deliveries();

        assertThat(d.claim(account, 1, T0 + 1, LEASE_UNTIL, 8, 20)).as("alone: up to ahead").hasSize(20);
        assertThat(d.claim(account, 1, T0 + 1, LEASE_UNTIL, 8, 20)).as("holds ahead already").isEmpty();
        assertThat(d.claim(account, 2, T0 + 1, LEASE_UNTIL, 8, 20)).as("node 1 holds 20 >= 8").isEmpty();
        assertThat(d.claim(account, 1, T0 + 1, LEASE_UNTIL, 8, 25)).as("more ahead, still alone").hasSize(5);
    }

    @Test
    void withAnotherNodesLeasesEveryNodeKeepsToTheConcurrencyOverAll() {
        sentToMorePeers(29);
        Deliveries d = stores.deliveries();

        assertThat(d.claim(account, 1, T0 + 1, LEASE_UNTIL, 3, 3)).hasSize(3);
        assertThat(d.claim(account, 2, T0 + 1, LEASE_UNTIL + 120_000, 8, 20)).as("8 - node 1's 3").hasSize(5);
        assertThat(d.claim(account, 1, T0 + 1, LEASE_UNTIL, 8, 20)).as("8 - 3 - 5: none, though ahead is 20").isEmpty();
        assertThat(d.claim(account, 2, T0 + 1, LEASE_UNTIL + 120_000, 8, 20)).isEmpty();
        assertThat(d.claim(account, 2, LEASE_UNTIL + 1, LEASE_UNTIL + 60_000, 8, 20))
                .as("node 1's leases ran out: node 2 is alone again, holding its 5 until later").hasSize(15);
    }

    @Test
    void claimLimitsMustMakeSense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> stores.deliveries().claim(account, 1, T0 + 1, LEASE_UNTIL, 8, 7))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> stores.deliveries().claim(account, 1, T0 + 1, LEASE_UNTIL, 0, 8))
                .isInstanceOf(IllegalArgumentException.class);
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
