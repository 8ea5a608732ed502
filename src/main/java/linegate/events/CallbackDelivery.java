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
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The callbacks' worker on one node. {@link #poll} (run every few hundred milliseconds) claims each account's due
 * events, at most {@code concurrency} in flight per account across all nodes, and posts them. Outcomes are recorded
 * by one recorder thread, all that have arrived in one transaction, and then the accounts they belong to claim their
 * next events: with many callbacks answered at once, a commit (and on SQLite the write lock, which the sends' log
 * writer needs too) is taken per batch of outcomes, not per event. A hanging endpoint holds its own account's slots for at most
 * {@link CallbackClient#TIMEOUT_SECONDS}, and no thread: other accounts and the sends never wait for it.
 * <p>
 * A failed attempt is retried by {@link RetrySchedule} until {@code maxAge} after the event occurred; the attempt that
 * fails after that makes it {@code dead}, with one log line (account, event id, last error; never a secret).
 */
public final class CallbackDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDelivery.class);
    /** Longer than an attempt can take, so that a second node never claims an event still in flight here. */
    public static final Duration LEASE = Duration.ofSeconds(CallbackClient.TIMEOUT_SECONDS * 6);

    private final Deliveries deliveries;
    private final Callbacks callbacks;
    private final EventBodies bodies;
    private final CallbackClient client;
    private final RetrySchedule retries;
    private final Duration maxAge;
    private final int concurrency;
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
     * transaction, then claims the next events of their accounts. Runs until {@link #close}.
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
            batch.stream().map(f -> f.event().accountId()).distinct().forEach(this::claimAndPostQuietly);
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

    private void claimAndPost(long account) {
        long now = clock.millis();
        var claimed = deliveries.claim(account, nodeId, now, now + LEASE.toMillis(), concurrency);
        if (claimed.isEmpty()) {
            return;
        }
        Optional<CallbackTarget> target = callbacks.find(account);
        for (DueEvent event : claimed) {
            if (target.isEmpty()) {
                record(List.of(new Finished(event, new CallbackClient.Attempt.Failed("the account has no callback URL"),
                        clock.millis())));
                continue;
            }
            post(event, target.get());
        }
    }

    private void post(DueEvent event, CallbackTarget target) {
        byte[] body;
        try {
            body = bodies.render(event.id());
        } catch (RuntimeException e) {
            record(List.of(new Finished(event, new CallbackClient.Attempt.Failed("the event could not be rendered: "
                    + e.getClass().getSimpleName()), clock.millis())));
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Linegate-Event-Id", event.eventId());
        headers.put(CallbackSignature.HEADER, CallbackSignature.header(clock.instant().getEpochSecond(), body,
                target.secret(), target.previousSecret()));
        client.post(CallbackUrl.parse(target.url()).uri(), headers, body)
                .thenAcceptAsync(attempt -> finished.add(new Finished(event, attempt, clock.millis())), outcomes);
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
