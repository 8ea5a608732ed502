package linegate.health;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import linegate.meta.GraphOutcome;
import linegate.meta.TokenClient;
import linegate.store.LineHealth;
import linegate.store.LineHealthChange;
import linegate.store.Lines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * Keeps each line's recorded health in step with Meta's answers. A send costs a look-up in memory; the database is
 * written only when an answer shows a health this node has not recorded (or confirmed) for the line within
 * {@link #TRUSTED_FOR}, and then by a compare-and-set ({@link Lines#recordHealth}) that makes each change one
 * line.status event however many nodes see it. What another node recorded is noticed here within that time.
 * <p>
 * Never throws: a health that cannot be recorded (the database is down) is logged and tried again at the next
 * answer; the send it came with is not affected.
 */
public final class LineHealthTracker {
    /** How long this node believes the health it last recorded or confirmed for a line. */
    static final Duration TRUSTED_FOR = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(LineHealthTracker.class);

    private final Lines lines;
    private final Cache<Long, LineHealth> known;

    public LineHealthTracker(Lines lines) {
        this(lines, Caffeine.newBuilder().expireAfterWrite(TRUSTED_FOR).maximumSize(100_000).build());
    }

    LineHealthTracker(Lines lines, Cache<Long, LineHealth> known) {
        this.lines = lines;
        this.known = known;
    }

    /** Meta answered a call made with the line's token. */
    public void observe(long lineId, GraphOutcome answer) {
        HealthSignals.of(answer).ifPresent(signal -> record(lineId, signal));
    }

    /** Meta answered a token check made with the line's token. */
    public void observe(long lineId, TokenClient.CheckAnswer answer) {
        HealthSignals.of(answer).ifPresent(signal -> record(lineId, signal));
    }

    /** Records a health the token work found (a refresh that worked, or a token that expired or was refused). */
    void report(long lineId, LineHealth health, Optional<String> reason) {
        record(lineId, new HealthSignals.Signal(health, reason));
    }

    private void record(long lineId, HealthSignals.Signal signal) {
        if (known.getIfPresent(lineId) == signal.health()) {
            return;
        }
        try {
            Optional<LineHealthChange> change = lines.recordHealth(lineId, signal.health(), signal.reason());
            known.put(lineId, signal.health());
            change.ifPresent(c -> log(c));
        } catch (RuntimeException e) {
            LOG.warn("line {}: its health ({}) could not be recorded: {}; tried again at the next answer", lineId,
                    signal.health().dbValue(), e.getMessage());
        }
    }

    private static void log(LineHealthChange c) {
        if (c.health() == LineHealth.OK) {
            LOG.info("line {} (account {}): health {} -> ok", c.lineId(), c.accountId(), c.previous().dbValue());
        } else {
            LOG.warn("line {} (account {}): health {} -> {}: {}", c.lineId(), c.accountId(), c.previous().dbValue(),
                    c.health().dbValue(), c.reason().orElse("no reason given"));
        }
    }
}
