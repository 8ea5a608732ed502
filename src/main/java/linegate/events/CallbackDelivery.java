package linegate.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import linegate.store.events.CallbackTarget;
import linegate.store.events.Callbacks;
import linegate.store.events.Deliveries;
import linegate.store.events.DueEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The callbacks' worker on one node. Each account's claimed events wait in its {@link AccountLane}, at most
 * {@code concurrency} of them in flight; a request that ends starts the next waiting one at once. Claims take up to
 * {@link #CLAIM_AHEAD} times {@code concurrency} events per transaction ({@code Deliveries.claim} says when a node may
 * claim ahead, so that the account stays within {@code concurrency} in flight over all nodes). Outcomes are recorded
 * by one recorder thread, all that have arrived in one transaction; then the accounts they belong to claim more if
 * their lanes run low. With many callbacks answered at once, a commit (and on SQLite the write lock, which the sends'
 * log writer needs too) is taken per batch of outcomes and per batch of claims, not per event. {@link #poll} (every
 * few hundred milliseconds) claims for the accounts that have unclaimed due events. A hanging endpoint holds its own
 * account's slots for at most {@link CallbackClient#TIMEOUT_SECONDS}, and no thread: other accounts and the sends
 * never wait for it.
 * <p>
 * A failed attempt is retried by {@link RetrySchedule} until {@code maxAge} after the event occurred; the attempt that
 * fails after that makes it {@code dead}, with one log line (account, event id, last error; never a secret).
 */
public final class CallbackDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDelivery.class);
    /** Longer than an attempt can take, so that a second node never claims an event still in flight here. */
    public static final Duration LEASE = Duration.ofSeconds(CallbackClient.TIMEOUT_SECONDS * 6);
    /** How many times its concurrency an account may have claimed on this node; at most {@link #MAX_AHEAD}. */
    static final int CLAIM_AHEAD = 16;
    static final int MAX_AHEAD = 512;
    /** A waiting event is posted only while its lease holds this much longer: an attempt's time, and a margin. */
    private static final long START_MARGIN_MILLIS = (CallbackClient.TIMEOUT_SECONDS + 5) * 1000L;

    private final Deliveries deliveries;
    private final Callbacks callbacks;
    private final EventBodies bodies;
    private final CallbackClient client;
    private final RetrySchedule retries;
    private final Duration maxAge;
    private final int concurrency;
    private final int ahead;
    private final Map<Long, AccountLane> lanes = new ConcurrentHashMap<>();
    private final long nodeId;
    private final Clock clock;
    private final ExecutorService outcomes = Executors.newVirtualThreadPerTaskExecutor();
    /** Attempts answered and not yet recorded, for {@link #recordFinished}. */
    private final LinkedBlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    private final Thread recorder;
    private volatile boolean closed;
    private final Counter delivered;
    private final Counter retried;
    private final Counter dead;
    private final Timer latency;
    private final MultiGauge oldestPending;

    public CallbackDelivery(Deliveries deliveries, Callbacks callbacks, EventBodies bodies, CallbackClient client,
                            RetrySchedule retries, Duration maxAge, int concurrency, long nodeId, Clock clock,
                            MeterRegistry registry) {
        this.deliveries = deliveries;
        this.callbacks = callbacks;
        this.bodies = bodies;
        this.client = client;
        this.retries = retries;
        this.maxAge = maxAge;
        this.concurrency = concurrency;
        this.ahead = Math.max(concurrency, Math.min(concurrency * CLAIM_AHEAD, MAX_AHEAD));
        this.nodeId = nodeId;
        this.clock = clock;
        this.delivered = Counter.builder("linegate.events.delivered").description("Callbacks answered 2xx")
                .register(registry);
        this.retried = Counter.builder("linegate.events.retried").description("Callback attempts failed and scheduled again")
                .register(registry);
        this.dead = Counter.builder("linegate.events.dead").description("Events given up after LINEGATE_CALLBACK_MAX_AGE")
                .register(registry);
        this.latency = Timer.builder("linegate.events.delivery.latency")
                .description("From an event's occurrence to its callback's 2xx").publishPercentileHistogram()
                .register(registry);
        this.oldestPending = MultiGauge.builder("linegate.events.oldest.pending.age")
                .description("Age in seconds of each account's oldest undelivered event").baseUnit("seconds")
                .register(registry);
        this.recorder = Thread.ofVirtual().name("linegate-callback-outcomes").start(this::recordFinished);
    }

    /** Outcomes recorded per transaction at most. */
    static final int MAX_OUTCOMES_PER_COMMIT = 256;

    private record Finished(DueEvent event, CallbackClient.Attempt attempt, long atMillis) {
    }

    /**
     * The recorder: waits for a first outcome, takes every other one that has arrived, records them in one
     * transaction, then claims more for those of their accounts whose lanes run low. Runs until {@link #close}.
     */
    private void recordFinished() {
        List<Finished> batch = new ArrayList<>();
        while (!closed) {
            try {
                batch.add(finished.take());
            } catch (InterruptedException e) {
                return;
            }
            finished.drainTo(batch, MAX_OUTCOMES_PER_COMMIT - 1);
            record(batch);
            batch.stream().map(f -> f.event().accountId()).distinct()
                    .filter(account -> lane(account).runningLow())
                    .forEach(this::claimAndPostQuietly);
            batch.clear();
        }
    }

    /** Claims and posts the due events of every account that has some. */
    public void poll() {
        try {
            for (long account : deliveries.accountsWithDueEvents(clock.millis())) {
                claimAndPost(account);
            }
        } catch (RuntimeException e) {
            LOG.warn("callbacks: could not claim due events, will retry: {}", e.getMessage());
        }
    }

    /** Refreshes the per-account age of the oldest pending event (a gauge per account). */
    public void measureBacklog() {
        try {
            long now = clock.millis();
            oldestPending.register(deliveries.oldestPending().entrySet().stream()
                    .map(e -> MultiGauge.Row.of(Tags.of("account", Long.toString(e.getKey())),
                            Math.max(0, now - e.getValue()) / 1000.0))
                    .toList(), true);
        } catch (RuntimeException e) {
            LOG.warn("callbacks: could not measure the pending events: {}", e.getMessage());
        }
    }

    private AccountLane lane(long account) {
        return lanes.computeIfAbsent(account, a -> new AccountLane(concurrency));
    }

    /** Claims more of the account's due events if its lane runs low, and starts what its free slots allow. */
    private void claimAndPost(long account) {
        AccountLane lane = lane(account);
        if (lane.runningLow()) {
            long now = clock.millis();
            long leaseUntil = now + LEASE.toMillis();
            List<DueEvent> claimed = deliveries.claim(account, nodeId, now, leaseUntil, concurrency, ahead);
            if (!claimed.isEmpty()) {
                // a missing URL (removed since the event was claimable) is a failed attempt, recorded like any other
                CallbackTarget target = callbacks.find(account).orElse(null);
                Map<Long, byte[]> rendered = render(claimed);
                lane.add(claimed.stream()
                        .map(e -> new AccountLane.Claimed(e, target, rendered.get(e.id()), leaseUntil)).toList());
            }
        }
        startMore(lane);
    }

    /** The claimed events' bodies, read together; none when the database cannot be read (each attempt then fails). */
    private Map<Long, byte[]> render(List<DueEvent> claimed) {
        try {
            return bodies.renderAll(claimed.stream().map(DueEvent::id).toList());
        } catch (RuntimeException e) {
            LOG.warn("callbacks: could not render {} claimed events, their attempts fail and are retried: {}",
                    claimed.size(), e.getMessage());
            return Map.of();
        }
    }

    /** Posts waiting events while the lane has free slots; an attempt that fails before its request fills none. */
    private void startMore(AccountLane lane) {
        List<AccountLane.Claimed> start;
        while (!(start = lane.startable(clock.millis() + START_MARGIN_MILLIS)).isEmpty()) {
            boolean allPosted = true;
            for (AccountLane.Claimed claimed : start) {
                allPosted &= post(lane, claimed);
            }
            if (allPosted) {
                return;
            }
        }
    }

    /** Starts the event's request; false when the attempt failed at once (its outcome is queued, its slot free). */
    private boolean post(AccountLane lane, AccountLane.Claimed claimed) {
        DueEvent event = claimed.event();
        CallbackTarget target = claimed.target();
        if (target == null) {
            failedAtOnce(lane, event, "the account has no callback URL");
            return false;
        }
        byte[] body = claimed.body();
        if (body == null) {
            failedAtOnce(lane, event, "the event could not be rendered");
            return false;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Linegate-Event-Id", event.eventId());
        headers.put(CallbackSignature.HEADER, CallbackSignature.header(clock.instant().getEpochSecond(), body,
                target.secret(), target.previousSecret()));
        client.post(CallbackUrl.parse(target.url()).uri(), headers, body)
                .thenAcceptAsync(attempt -> {
                    finished.add(new Finished(event, attempt, clock.millis()));
                    lane.ended();
                    startMore(lane);
                }, outcomes);
        return true;
    }

    private void failedAtOnce(AccountLane lane, DueEvent event, String error) {
        finished.add(new Finished(event, new CallbackClient.Attempt.Failed(error), clock.millis()));
        lane.ended();
    }

    private void claimAndPostQuietly(long account) {
        try {
            claimAndPost(account);
        } catch (RuntimeException e) {
            LOG.warn("callbacks: could not claim account {}'s next events, the next poll will: {}", account, e.getMessage());
        }
    }

    /** Records these attempts' outcomes in one transaction, and counts and logs each one this node still held. */
    private void record(List<Finished> batch) {
        List<Deliveries.Outcome> outcomes = batch.stream().map(this::outcome).toList();
        List<Boolean> held;
        try {
            held = deliveries.recordAll(nodeId, outcomes);
        } catch (RuntimeException e) {
            LOG.warn("callbacks: could not record the outcomes of {} events (first: {} of account {}); their leases run"
                    + " out and they are tried again: {}", batch.size(), batch.getFirst().event().eventId(),
                    batch.getFirst().event().accountId(), e.getMessage());
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (held.get(i)) {
                counted(batch.get(i), outcomes.get(i));
            }
        }
    }

    private Deliveries.Outcome outcome(Finished f) {
        return switch (f.attempt()) {
            case CallbackClient.Attempt.Delivered d -> new Deliveries.Outcome.Delivered(f.event().id(), f.atMillis());
            case CallbackClient.Attempt.Failed failed -> {
                long deadline = f.event().occurredAtMillis() + maxAge.toMillis();
                yield f.atMillis() >= deadline
                        ? new Deliveries.Outcome.Dead(f.event().id(), failed.error())
                        : new Deliveries.Outcome.Retry(f.event().id(), Math.min(f.atMillis()
                                + retries.delayAfter(f.event().attempts() + 1).toMillis(), deadline), failed.error());
            }
        };
    }

    private void counted(Finished f, Deliveries.Outcome outcome) {
        DueEvent event = f.event();
        switch (outcome) {
            case Deliveries.Outcome.Delivered d -> {
                delivered.increment();
                latency.record(Duration.ofMillis(Math.max(0, f.atMillis() - event.occurredAtMillis())));
            }
            case Deliveries.Outcome.Retry r -> retried.increment();
            case Deliveries.Outcome.Dead d -> {
                dead.increment();
                LOG.warn("callbacks: event {} of account {} is dead after {} attempts, last error: {};"
                                + " send it again with 'linegate events redeliver --account {} --event {}'",
                        event.eventId(), event.accountId(), event.attempts() + 1, d.error(), event.accountId(),
                        event.eventId());
            }
        }
    }

    /**
     * Stops posting and records what was answered meanwhile (best effort: an outcome not recorded leaves its event
     * leased, and it is posted again once the lease runs out; callbacks are at least once).
     */
    @Override
    public void close() {
        closed = true;
        recorder.interrupt();
        outcomes.shutdownNow();
        client.close();
        List<Finished> left = new ArrayList<>();
        finished.drainTo(left);
        if (!left.isEmpty()) {
            record(left);
        }
    }
}
