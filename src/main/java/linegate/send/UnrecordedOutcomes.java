package linegate.send;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import linegate.store.LogOutcome;
import linegate.store.MessageLogWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Outcomes the client has been told but the message log could not record at that moment (the database failed
 * between Meta's answer and its write, or between a local refusal and its write). Each is kept in memory, at most
 * {@code capacity} of them, and written again by {@link #retry()} until the database takes it, so that the log comes
 * to say what the client was told. While an outcome is held its row stays {@code accepted}: the sweeper leaves it
 * alone, and a repeated msg_id is answered from it.
 * <p>
 * What is held is lost only beyond capacity (counted, and logged with its cdls_id and Meta's message id) or when the
 * process stops before the database is back (logged the same way at stop); such a row is later marked {@code unknown},
 * and the echo webhook of a sent text still confirms it as {@code sent}.
 */
public final class UnrecordedOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(UnrecordedOutcomes.class);
    /** Enough for minutes of a busy node's sends during an outage, at about 200 bytes each. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final MessageLogWriter log;
    private final int capacity;
    private final ConcurrentSkipListMap<Long, LogOutcome> held = new ConcurrentSkipListMap<>();
    private final Counter heldTotal;
    private final Counter recorded;
    private final Counter dropped;
    private volatile boolean failing;

    public UnrecordedOutcomes(MessageLogWriter log, int capacity, MeterRegistry metrics) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.log = log;
        this.capacity = capacity;
        Gauge.builder("linegate.log.unrecorded", held, Map::size)
                .description("Send outcomes answered to the client and waiting for the database to record them")
                .register(metrics);
        this.heldTotal = Counter.builder("linegate.log.unrecorded.held")
                .description("Send outcomes that could not be recorded at once and were held for a retry").register(metrics);
        this.recorded = Counter.builder("linegate.log.unrecorded.recorded")
                .description("Held send outcomes recorded once the database was back").register(metrics);
        this.dropped = Counter.builder("linegate.log.unrecorded.dropped")
                .description("Held send outcomes given up (capacity reached, or the node stopped first)").register(metrics);
    }

    /** Keeps the row's outcome for {@link #retry()}; false when at capacity (the outcome is logged and dropped). */
    public synchronized boolean hold(long cdlsId, LogOutcome outcome) {
        if (held.size() >= capacity && !held.containsKey(cdlsId)) {
            dropped.increment();
            LOG.error("cdls_id={}: {} could not be recorded and {} outcomes are already waiting for the database;"
                    + " dropped, the row will be marked unknown", cdlsId, describe(outcome), held.size());
            return false;
        }
        held.put(cdlsId, outcome);
        heldTotal.increment();
        return true;
    }

    /** The outcome held for this row, if it is waiting to be recorded. */
    public Optional<LogOutcome> find(long cdlsId) {
        return Optional.ofNullable(held.get(cdlsId));
    }

    /** The rows whose outcomes are held. */
    public Set<Long> ids() {
        return Set.copyOf(held.keySet());
    }

    /** Writes the held outcomes, oldest first, until one fails (the database is still away: the next run goes on). */
    public void retry() {
        for (Map.Entry<Long, LogOutcome> e : held.entrySet()) {
            try {
                log.finish(e.getKey(), e.getValue());
            } catch (RuntimeException notYet) {
                if (!failing) {
                    failing = true;
                    LOG.warn("{} send outcomes are waiting for the database to record them: {}", held.size(),
                            notYet.getMessage());
                }
                return;
            }
            held.remove(e.getKey(), e.getValue());
            recorded.increment();
            LOG.info("cdls_id={}: {} recorded after the database came back", e.getKey(), describe(e.getValue()));
        }
        failing = false;
    }

    /** At stop: a last retry, then every outcome still held is logged, so that an operator can reconcile it by hand. */
    public void abandon() {
        retry();
        held.forEach((id, outcome) -> {
            dropped.increment();
            LOG.error("cdls_id={}: {} was answered to the client but could not be recorded before the node stopped;"
                    + " the row will be marked unknown", id, describe(outcome));
        });
        held.clear();
    }

    private static String describe(LogOutcome outcome) {
        return switch (outcome) {
            case LogOutcome.Sent s -> "Meta's acceptance (messageId " + s.metaMessageId() + ")";
            case LogOutcome.Failed f -> "the refusal " + f.error().statusCode();
            case LogOutcome.Unknown u -> "the unknown outcome " + u.error().statusCode();
        };
    }
}
