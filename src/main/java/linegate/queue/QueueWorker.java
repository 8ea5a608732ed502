package linegate.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import linegate.api.StatusCode;
import linegate.meta.OutboundMessage.Kind;
import linegate.send.QueuedAttempts;
import linegate.send.UnrecordedOutcomes;
import linegate.store.LogOutcome;
import linegate.store.LogRow;
import linegate.store.LoggedError;
import linegate.store.MessageLogWriter;
import linegate.store.SendQueue;
import linegate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * This node's queue worker (docs/api.md, "Queued sends"). In rounds, every {@link Settings#poll} and as soon as a
 * quarter of its slots have come free (so a node is not held to one round of sends per poll), it reads the due heads of
 * their conversations, takes one send of each head's line budget ({@link SendBudget}; a head whose line has none left
 * waits for the next poll, never refused), claims those in one transaction (SQLite has one writer: one claim for many
 * rows), and sends each claimed row on a thread of its own, at most {@code concurrency} at once. Each attempt ends in
 * one of three ways: its final state recorded through the message log's writer (the {@code message.status} event in the
 * same transaction), or the row put back for a safe retry ({@link SafeRetries}) after a back-off with jitter
 * ({@link RetryBackoff}), or 262 when it would not be sent within {@code maxAge}.
 * <p>
 * A claimed row is {@code accepted} under this node's id, as a direct send in flight is: killed mid-send, the node
 * leaves it to the sweeps, which mark it {@code unknown}; it is never sent twice.
 */
public final class QueueWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueWorker.class);
    /** The send log (docs/operations.md, "Logs"), the logger of direct sends' outcome lines too. */
    private static final Logger SEND_LOG = LoggerFactory.getLogger("linegate.sends");
    /** Queued rows past their age are failed (262) by a sweep this often. */
    static final Duration EXPIRE_EVERY = Duration.ofSeconds(1);
    /**
     * How often waiting rows whose conversation has no earlier live send are made due: after a sweep marked a send
     * unknown (a worker's own finish makes the next due in its transaction).
     */
    static final Duration REPAIR_EVERY = Duration.ofSeconds(5);

    /**
     * The queue's settings (docs/operations.md): how long a send may wait, the back-off, sends in flight per node, and
     * how long the worker waits between rounds when no slots come free.
     */
    /** {@code sendLog}: one INFO line per queued send's final outcome, as direct sends have (LINEGATE_SEND_LOG). */
    public record Settings(Duration maxAge, RetryBackoff backoff, int concurrency, Duration poll, boolean sendLog) {
        public Settings {
            if (poll.isNegative() || poll.isZero()) {
                throw new IllegalArgumentException("the queue's poll interval must be positive");
            }
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("the queue's max age must be positive");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1");
            }
        }
    }

    private final SendQueue queue;
    private final MessageLogWriter log;
    private final QueuedAttempts attempts;
    private final SendBudget budget;
    private final UnrecordedOutcomes unrecorded;
    private final Settings settings;
    private final long nodeId;
    private final Clock clock;
    private final Semaphore slots;
    /** Released by a send that leaves {@link #wakeAt} or more slots free: the poller starts a round at once. */
    private final Semaphore wake = new Semaphore(0);
    private final int wakeAt;
    private final Thread poller = Thread.ofPlatform().name("linegate-queue-poll").daemon().unstarted(this::rounds);
    private volatile boolean stopping;
    private final ExecutorService senders = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("linegate-queue-send-", 1).factory());
    private final Map<String, Counter> results = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    /** Heads a round reads at most. */
    static final int MAX_READ = 1000;
    /** Heads the last round read and passed over because their line had no budget left (poller thread only). */
    private int passedOverLastRound;
    private long lastExpiry;
    private long lastRepair = Long.MIN_VALUE / 2;
    private volatile boolean failing;

    public QueueWorker(SendQueue queue, MessageLogWriter log, QueuedAttempts attempts, SendBudget budget,
                       UnrecordedOutcomes unrecorded, Settings settings, long nodeId, Clock clock,
                       MeterRegistry registry) {
        this.queue = queue;
        this.log = log;
        this.attempts = attempts;
        this.budget = budget;
        this.unrecorded = unrecorded;
        this.settings = settings;
        this.nodeId = nodeId;
        this.clock = clock;
        this.slots = new Semaphore(settings.concurrency());
        this.wakeAt = Math.max(1, settings.concurrency() / 4);
        this.registry = registry;
        // at start, so a scrape shows every result (at 0) before the first queued send
        List.of("sent", "failed", "unknown", "retried", "expired").forEach(this::attempts);
        Gauge.builder("linegate.queue.in.flight", slots, s -> settings.concurrency() - s.availablePermits())
                .description("Queued sends this node is sending now").register(registry);
    }

    public void start() {
        poller.start();
    }

    /**
     * A round, then the next once {@link Settings#poll} has passed or enough slots came free, whichever is first.
     * Frees that came during a round are one wake-up, not one round each.
     */
    private void rounds() {
        while (!stopping) {
            poll();
            try {
                wake.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            wake.drainPermits();
        }
    }

    /** One round: expire what is too old, then claim and start as many due heads as there are free slots and budget. */
    void poll() {
        try {
            long now = clock.millis();
            if (now - lastExpiry >= EXPIRE_EVERY.toMillis()) {
                lastExpiry = now;
                int expired = queue.expire(now - settings.maxAge().toMillis(), expiredDetail(), now).size();
                count("expired", expired);
            }
            if (now - lastRepair >= REPAIR_EVERY.toMillis()) {
                lastRepair = now;
                int promoted = queue.promoteStranded(now);
                if (promoted > 0) {
                    LOG.info("{} queued sends whose conversation's send before them had ended elsewhere are due",
                            promoted);
                }
            }
            int free = slots.availablePermits();
            if (free == 0) {
                return;
            }
            // heads of lines out of budget are passed over: read as many more as the last round passed over, up to
            // four per free slot (each head read costs its walk and probe: most rounds need no more than the slots)
            List<Long> ready = new ArrayList<>();
            int passedOver = 0;
            int read = Math.min(free + passedOverLastRound, Math.min(free * 4, MAX_READ));
            for (LogRow head : queue.dueHeads(now, read)) {
                if (ready.size() >= free) {
                    break;
                }
                if (budget.tryAcquire(head.accountId(), head.lineId(), kind(head)).isEmpty()) {
                    ready.add(head.id());
                } else {
                    passedOver++;
                }
            }
            passedOverLastRound = passedOver;
            for (LogRow row : queue.claim(ready, nodeId, now)) {
                slots.acquireUninterruptibly(); // only this thread takes slots, and it claimed at most the free ones
                senders.execute(() -> send(row));
            }
            if (failing) {
                failing = false;
                LOG.info("the queue worker reads the queue again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("the queue worker could not read or claim queued sends, will retry: {}", e.getMessage());
            }
        }
    }

    private void send(LogRow row) {
        try {
            long now = clock.millis();
            if (now - row.createdAt() > settings.maxAge().toMillis()) {
                finish(row, expired(row, Optional.empty()), "expired");
                return;
            }
            QueuedAttempts.Attempt attempt;
            try {
                attempt = attempts.attempt(row);
            } catch (StoreUnavailableException e) {
                // read before the Graph call (the line, the window): nothing reached Meta
                retry(row, new SafeRetries.Retry("the database could not be read before the call to Meta; nothing"
                        + " was sent", Optional.empty(), false), Optional.empty());
                return;
            }
            Optional<SafeRetries.Retry> retry = attempt.graph().flatMap(SafeRetries::of);
            if (retry.isPresent()) {
                retry(row, retry.get(), Optional.of(attempt.outcome()));
            } else {
                finish(row, attempt.outcome(), result(attempt.outcome()));
            }
        } catch (RuntimeException e) {
            // Meta may have been called: never tried again; the row stays accepted and the sweep marks it unknown
            LOG.error("cdls_id={}: the queued send failed in Linegate; it is left to the sweep of abandoned rows",
                    row.id(), e);
        } finally {
            slots.release();
            if (slots.availablePermits() >= wakeAt) {
                wake.release();
            }
        }
    }

    /** Back to the queue after the back-off (and at least Meta's wait), or 262 when that would be past its age. */
    private void retry(LogRow row, SafeRetries.Retry retry, Optional<LogOutcome> lastOutcome) {
        long now = clock.millis();
        int failed = row.attempts().orElse(1);
        long delay = settings.backoff().after(failed, retry.rateLimited()).toMillis();
        delay = Math.max(delay, retry.metaWait().map(Duration::toMillis).orElse(0L));
        if (now + delay - row.createdAt() > settings.maxAge().toMillis()) {
            LOG.warn("cdls_id={}: {}; the next attempt would be past the queue's age of {}: expired", row.id(),
                    retry.reason(), settings.maxAge());
            finish(row, expired(row, Optional.of(retry.reason()), lastOutcome), "expired");
            return;
        }
        if (queue.requeue(row.id(), nodeId, now + delay, retry.reason(), now)) {
            count("retried", 1);
            LOG.info("cdls_id={} line={}: attempt {}: {}; tried again in {} ms", row.id(), row.lineId(), failed,
                    retry.reason(), delay);
        } else {
            LOG.warn("cdls_id={}: could not be put back in the queue: it is no longer this node's accepted row",
                    row.id());
        }
    }

    /**
     * Records the row's final state. If the database fails here the outcome is held and recorded later, as a direct
     * send's is ({@link UnrecordedOutcomes}): Meta has acted, and the row must come to say so. The same transaction
     * makes the conversation's next queued send due (store's finish).
     */
    private void finish(LogRow row, LogOutcome outcome, String result) {
        try {
            log.finish(row.id(), outcome);
            count(result, 1);
            if (settings.sendLog()) {
                logOutcome(row, outcome);
            }
        } catch (RuntimeException e) {
            boolean held = unrecorded.hold(row.id(), outcome);
            LOG.error("cdls_id={}: the queued send's outcome ({}) could not be recorded: {}; {}", row.id(), result,
                    e.getMessage(), held ? "held, and recorded once the database is back" : "dropped");
        }
    }

    /** The send log's line (the same logger and fields as a direct send's answer), from queued to final. */
    private void logOutcome(LogRow row, LogOutcome outcome) {
        Optional<LoggedError> error = switch (outcome) {
            case LogOutcome.Sent sent -> Optional.empty();
            case LogOutcome.Failed failed -> Optional.of(failed.error());
            case LogOutcome.Unknown unknown -> Optional.of(unknown.error());
        };
        SEND_LOG.info("send cdls_id={} line={} channel={} status_code={} meta_code={} meta_subcode={} latency_ms={}"
                        + " queued attempts={}", row.id(), row.lineId(), row.channel().dbValue(),
                error.map(LoggedError::statusCode).orElse(200),
                error.map(LoggedError::metaCode).map(String::valueOf).orElse("-"),
                error.map(LoggedError::metaSubcode).map(String::valueOf).orElse("-"),
                clock.millis() - row.createdAt(), row.attempts().orElse(1));
    }

    private LogOutcome.Failed expired(LogRow row, Optional<String> lastReason) {
        return expired(row, lastReason, Optional.empty());
    }

    /** 262, with Meta's error of the last attempt when it had one. */
    private LogOutcome.Failed expired(LogRow row, Optional<String> lastReason, Optional<LogOutcome> last) {
        String detail = expiredDetail() + " (" + row.attempts().orElse(0) + " attempts)"
                + lastReason.map(r -> "; the last attempt: " + r).orElse("");
        Optional<LoggedError> meta = last.flatMap(o -> o instanceof LogOutcome.Failed f ? Optional.of(f.error())
                : Optional.empty()).filter(LoggedError::hasMetaError);
        StatusCode code = StatusCode.EXPIRED_IN_QUEUE;
        LoggedError error = meta.map(m -> new LoggedError(code.code(), code.status(), detail, m.metaCode(),
                        m.metaSubcode(), m.metaType(), m.metaMessage(), m.fbtraceId()))
                .orElse(LoggedError.local(code.code(), code.status(), detail));
        return new LogOutcome.Failed(error, clock.millis());
    }

    private String expiredDetail() {
        return "not sent within " + settings.maxAge() + " (LINEGATE_QUEUE_MAX_AGE)";
    }

    private static String result(LogOutcome outcome) {
        return switch (outcome) {
            case LogOutcome.Sent s -> "sent";
            case LogOutcome.Failed f -> "failed";
            case LogOutcome.Unknown u -> "unknown";
        };
    }

    private static Kind kind(LogRow row) {
        return Kind.valueOf(row.mtype().toUpperCase(Locale.ROOT));
    }

    private void count(String result, int n) {
        if (n > 0) {
            attempts(result).increment(n);
        }
    }

    private Counter attempts(String result) {
        return results.computeIfAbsent(result, r -> Counter.builder("linegate.queue.attempts")
                .description("Attempts of queued sends by what became of them: sent, failed, unknown, retried,"
                        + " expired")
                .tag("result", r).register(registry));
    }

    /**
     * Stops claiming, then waits for the sends in flight to get Meta's answer and record it (up to {@code wait}), so
     * that a clean stop leaves no row for the sweep.
     */
    public void close(Duration wait) {
        stopping = true;
        poller.interrupt();
        try {
            if (poller.getState() != Thread.State.NEW) { // a start-up that failed closes a worker never started
                poller.join(Duration.ofSeconds(5));
            }
            senders.shutdown();
            if (!senders.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("queued sends still waiting for Meta after {}; their rows are left to the sweep", wait);
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
