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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The callbacks' worker on one node. {@link #poll} (run every few hundred milliseconds) claims each account's due
 * events, at most {@code concurrency} in flight per account across all nodes, and posts them; each outcome is recorded
 * and the account's next events are claimed at once. A hanging endpoint holds its own account's slots for at most
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
                record(event, new CallbackClient.Attempt.Failed("the account has no callback URL"));
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
            record(event, new CallbackClient.Attempt.Failed("the event could not be rendered: " + e.getClass().getSimpleName()));
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Linegate-Event-Id", event.eventId());
        headers.put(CallbackSignature.HEADER, CallbackSignature.header(clock.instant().getEpochSecond(), body,
                target.secret(), target.previousSecret()));
        client.post(CallbackUrl.parse(target.url()).uri(), headers, body)
                .thenAcceptAsync(attempt -> {
                    record(event, attempt);
                    claimAndPostQuietly(event.accountId());
                }, outcomes);
    }

    private void claimAndPostQuietly(long account) {
        try {
            claimAndPost(account);
        } catch (RuntimeException e) {
            LOG.warn("callbacks: could not claim account {}'s next events, the next poll will: {}", account, e.getMessage());
        }
    }

    private void record(DueEvent event, CallbackClient.Attempt attempt) {
        long now = clock.millis();
        try {
            switch (attempt) {
                case CallbackClient.Attempt.Delivered d -> {
                    if (deliveries.markDelivered(event.id(), nodeId, now)) {
                        delivered.increment();
                        latency.record(Duration.ofMillis(Math.max(0, now - event.occurredAtMillis())));
                    }
                }
                case CallbackClient.Attempt.Failed f -> {
                    long deadline = event.occurredAtMillis() + maxAge.toMillis();
                    if (now >= deadline) {
                        if (deliveries.markDead(event.id(), nodeId, f.error())) {
                            dead.increment();
                            LOG.warn("callbacks: event {} of account {} is dead after {} attempts, last error: {};"
                                            + " send it again with 'linegate events redeliver --account {} --event {}'",
                                    event.eventId(), event.accountId(), event.attempts() + 1, f.error(),
                                    event.accountId(), event.eventId());
                        }
                    } else {
                        long next = Math.min(now + retries.delayAfter(event.attempts() + 1).toMillis(), deadline);
                        if (deliveries.scheduleRetry(event.id(), nodeId, next, f.error())) {
                            retried.increment();
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("callbacks: could not record the outcome of event {} (account {}); its lease runs out and it is"
                    + " tried again: {}", event.eventId(), event.accountId(), e.getMessage());
        }
    }

    @Override
    public void close() {
        outcomes.shutdownNow();
        client.close();
    }
}
