package linegate.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import linegate.store.LineHealth;
import linegate.store.LineTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code linegate_lines{health=…}}: how many active lines have each health, one gauge per health, all registered at
 * start-up (a health no line has shows 0, so an alert on {@code token_rejected > 0} has a series from the start).
 * The counts are read from the database by {@link #run()}, on a schedule, so a scrape never waits on it; they
 * count every node's lines, so every node shows the same figures.
 */
public final class LineHealthGauges implements Runnable {
    /** How often the counts are read again. */
    public static final java.time.Duration EVERY = java.time.Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(LineHealthGauges.class);

    private final LineTokens tokens;
    private final Map<LineHealth, AtomicLong> counts = new EnumMap<>(LineHealth.class);

    public LineHealthGauges(LineTokens tokens, MeterRegistry registry) {
        this.tokens = tokens;
        for (LineHealth health : LineHealth.values()) {
            AtomicLong count = new AtomicLong();
            counts.put(health, count);
            Gauge.builder("linegate.lines", count, AtomicLong::get)
                    .description("Active lines by health (ok, token_rejected, restricted, unknown), as last read from"
                            + " the database")
                    .tag("health", health.dbValue())
                    .register(registry);
        }
    }

    /** Reads the counts again. Never throws: a failed read keeps the last counts. */
    @Override
    public void run() {
        try {
            tokens.activeLinesByHealth().forEach((health, n) -> counts.get(health).set(n));
        } catch (RuntimeException e) {
            LOG.warn("the lines' health counts could not be read ({}); /metrics shows the last ones", e.getMessage());
        }
    }
}
