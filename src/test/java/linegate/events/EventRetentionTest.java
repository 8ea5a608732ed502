package linegate.events;

import linegate.store.InboundEntry;
import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.testing.StoresPerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention (LINEGATE_EVENT_RETENTION_DAYS) on both databases, with the clock moved by hand: events nobody still has
 * to deliver and applied webhook deliveries go once older than the retention; a pending event, a delivery never
 * applied, and anything younger stay.
 */
class EventRetentionTest extends StoresPerTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:15:30.123Z");
    private static final Duration WEEK = Duration.ofDays(7);

    EventRetentionTest() {
        super(T0);
    }

    long account;
    long line;
    EventRetention retention;

    @BeforeEach
    void open() {
        account = stores.accounts().create("Acme Dental");
        line = stores.lines().create(new NewLine(account, LineClass.MESSENGER, Optional.empty(), Optional.empty(),
                Optional.of("107346828715123"), true, false));
        retention = new EventRetention(stores.outbox(), stores.inbox(), WEEK, clock);
    }

    private void received(String mid) {
        stores.log().logInbound(new InboundEntry(account, line, LineClass.MESSENGER, false, "1254477777772919", "text",
                "Hi", Optional.of(mid), "message:" + mid, "{}", clock.millis()), clock.millis());
    }

    private List<String> eventsLeft() {
        return stores.db().call(h -> h.createQuery("SELECT delivery FROM events ORDER BY seq").mapTo(String.class).list());
    }

    private long applied(String body) {
        long id = stores.inbox().append(body.getBytes(StandardCharsets.UTF_8), clock.millis());
        stores.inbox().markProcessed(id, clock.millis());
        return id;
    }

    private List<Long> inboxLeft() {
        return stores.db().call(h -> h.createQuery("SELECT id FROM webhook_inbox ORDER BY id").mapTo(Long.class).list());
    }

    @Test
    void settledEventsAndAppliedDeliveriesGoOnceOlderThanTheRetention() {
        received("m_none");
        stores.db().call(h -> h.createUpdate("UPDATE accounts SET callback_url = 'https://crm.example.com/hook'")
                .execute());
        received("m_pending");
        received("m_delivered");
        stores.db().call(h -> h.createUpdate("UPDATE events SET delivery = 'delivered' WHERE seq = 3").execute());
        received("m_dead");
        stores.db().call(h -> h.createUpdate("UPDATE events SET delivery = 'dead' WHERE seq = 4").execute());
        long old = applied("{\"object\":\"page\",\"entry\":[]}");
        long neverApplied = stores.inbox().append("{}".getBytes(StandardCharsets.UTF_8), clock.millis());
        clock.advance(Duration.ofDays(1));
        received("m_young");
        long young = applied("{\"object\":\"page\",\"entry\":[]}");

        clock.advance(WEEK.minusDays(1));
        assertThat(retention.prune()).as("exactly a week old is not older than the retention")
                .isEqualTo(new EventRetention.Pruned(0, 0));

        clock.advance(Duration.ofMillis(1));
        EventRetention.Pruned pruned = retention.prune();

        assertThat(pruned).isEqualTo(new EventRetention.Pruned(3, 1));
        assertThat(eventsLeft()).as("the pending one and the young one").containsExactly("pending", "pending");
        assertThat(inboxLeft()).containsExactly(neverApplied, young).doesNotContain(old);

        clock.advance(Duration.ofDays(30));
        retention.run();
        assertThat(eventsLeft()).as("a pending event is never deleted: its delivery ends it first")
                .containsExactly("pending", "pending");
        assertThat(inboxLeft()).containsExactly(neverApplied);
    }

    @Test
    void aLargeBacklogIsDeletedInBoundedTransactions() {
        for (int i = 0; i < EventRetention.CHUNK + 3; i++) {
            applied("{}");
        }
        clock.advance(WEEK.plusMillis(1));

        assertThat(retention.prune().webhookDeliveries()).isEqualTo(EventRetention.CHUNK + 3);
        assertThat(inboxLeft()).isEmpty();
    }

}
