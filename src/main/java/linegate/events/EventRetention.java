package linegate.events;

import linegate.store.WebhookInbox;
import linegate.store.events.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Keeps {@code events} and {@code webhook_inbox} from growing without bound (LINEGATE_EVENT_RETENTION_DAYS,
 * docs/operations.md): events older than the retention that nobody still has to deliver (delivered, dead, or written
 * without a callback URL) and webhook deliveries applied before it are deleted, in bounded transactions so a large
 * backlog never holds the database's write lock for long. A pending event is never deleted: its delivery ends first
 * (delivered, or dead after LINEGATE_CALLBACK_MAX_AGE). A delivery never applied stays to be looked at.
 */
public final class EventRetention implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRetention.class);
    /** Rows deleted per transaction. */
    static final int CHUNK = 5_000;
    /** How often the task runs: retention is counted in days, so an hour late is nothing. */
    public static final Duration EVERY = Duration.ofHours(1);

    private final Outbox outbox;
    private final WebhookInbox inbox;
    private final Duration retention;
    private final Clock clock;

    public EventRetention(Outbox outbox, WebhookInbox inbox, Duration retention, Clock clock) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("the event retention must be positive, got " + retention);
        }
        this.outbox = outbox;
        this.inbox = inbox;
        this.retention = retention;
        this.clock = clock;
    }

    /** Runs on the maintenance scheduler: a failure is logged and the next run tries again. */
    @Override
    public void run() {
        try {
            prune();
        } catch (RuntimeException e) {
            LOG.warn("event retention could not prune ({}); the next run in {} tries again", e.getMessage(), EVERY);
        }
    }

    /** Deletes what is past the retention; how many events and webhook deliveries. */
    public Pruned prune() {
        long cutoff = clock.millis() - retention.toMillis();
        long events = 0;
        for (int n = CHUNK; n == CHUNK; ) {
            n = outbox.pruneSettled(cutoff, CHUNK);
            events += n;
        }
        long deliveries = 0;
        for (int n = CHUNK; n == CHUNK; ) {
            n = inbox.pruneProcessed(cutoff, CHUNK);
            deliveries += n;
        }
        if (events + deliveries > 0) {
            LOG.info("retention ({} days) deleted {} events and {} applied webhook deliveries", retention.toDays(),
                    events, deliveries);
        }
        return new Pruned(events, deliveries);
    }

    public record Pruned(long events, long webhookDeliveries) {
    }
}
