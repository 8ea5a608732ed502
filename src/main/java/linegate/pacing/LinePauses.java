package linegate.pacing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import linegate.meta.GraphErrorClass;
import linegate.meta.GraphOutcome;
import linegate.meta.MetaUsage;
import linegate.store.UsagePauses;
import linegate.store.UsagePauses.Pause;
import linegate.store.UsagePauses.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pauses of contract §10 on one node. {@link #observe} reads every Graph answer's usage headers: a figure at
 * {@code pausePercent} or more, or a rate-limit code on an answer that carries a usage header, pauses the line (for
 * {@code X-App-Usage}, or code 4, the app's limit: every line) until Meta's {@code estimated_time_to_regain_access},
 * at least {@link #MIN_PAUSE}. The pause holds here at once and is recorded in {@code usage_pauses}; {@link #refresh}
 * (every second) reads the pauses other nodes recorded, so all nodes honour one within about a second.
 * {@link #pausedFor} is the send path's question and reads memory only. Nothing here throws into a send: a pause that
 * cannot be recorded still holds on this node, and is logged.
 */
public final class LinePauses {
    private static final Logger LOG = LoggerFactory.getLogger(LinePauses.class);
    /**
     * The shortest pause: Meta's estimate is 0 minutes while a figure is high but nothing is throttled yet, and after a
     * pause the next answer's headers decide again.
     */
    public static final Duration MIN_PAUSE = Duration.ofSeconds(60);
    public static final int DEFAULT_PAUSE_PERCENT = 95;

    /** A pause that holds now: until when, and why (names the header or code and its figure). */
    public record Active(Instant until, long secondsLeft, String reason) {
    }

    /** The figures of the last answer for a line that carried a readable usage header, and when this node read it. */
    public record LastUsage(UsageFigures figures, Instant readAt) {
    }

    private final UsagePauses store;
    private final int pausePercent;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<Long, Pause> lines = new ConcurrentHashMap<>();
    private volatile Pause app;
    /** The last operator's resume this node has applied (epoch ms); guarded by {@code refresh}'s lock. */
    private long endsSeenUpTo;
    private final Map<Long, LastUsage> lastUsage = new ConcurrentHashMap<>();
    private final Set<Long> measured = ConcurrentHashMap.newKeySet();
    /** Headers already logged as unreadable, so a malformed header is logged once, not per answer. */
    private final Set<String> loggedMalformed = ConcurrentHashMap.newKeySet();

    public LinePauses(UsagePauses store, int pausePercent, Clock clock, MeterRegistry registry) {
        if (pausePercent < 1 || pausePercent > 100) {
            throw new IllegalArgumentException("pausePercent must be 1 to 100, got " + pausePercent);
        }
        this.store = store;
        this.pausePercent = pausePercent;
        this.clock = clock;
        this.registry = registry;
        // resumes from before this start ended pauses this node never held; a minute back allows for clock skew
        this.endsSeenUpTo = clock.millis() - Duration.ofMinutes(1).toMillis();
        Gauge.builder("linegate.app.paused", this, p -> p.holds(p.app) ? 1 : 0)
                .description("1 while every line is paused on Meta's app usage (X-App-Usage or code 4)")
                .register(registry);
    }

    /** The pause that holds for the line now (its own or the app's, the longer), if any. Reads memory only. */
    public Optional<Active> pausedFor(long lineId) {
        long now = clock.millis();
        Pause line = lines.get(lineId);
        Pause app = this.app;
        Pause longer = line == null || (app != null && app.untilMillis() > line.untilMillis()) ? app : line;
        if (longer == null || longer.untilMillis() <= now) {
            return Optional.empty();
        }
        long seconds = Math.max(1, (longer.untilMillis() - now + 999) / 1000);
        return Optional.of(new Active(Instant.ofEpochMilli(longer.untilMillis()), seconds, longer.reason()));
    }

    /**
     * Reads the answer's usage headers, keeps them for {@code /metrics} and the operators' line ({@link #lastUsage}),
     * and pauses when they call for it.
     */
    public void observe(long lineId, GraphOutcome outcome) {
        try {
            MetaUsage usage = switch (outcome) {
                case GraphOutcome.Sent s -> s.usage();
                case GraphOutcome.Rejected r -> r.usage();
                default -> MetaUsage.NONE;
            };
            if (usage.isEmpty()) {
                return;
            }
            UsageHeaders.Reading reading = UsageHeaders.read(usage);
            reading.malformed().stream().filter(loggedMalformed::add).forEach(header -> LOG.warn(
                    "Meta's {} header on an answer for line {} could not be read; ignored (logged once)", header, lineId));
            UsageFigures figures = reading.figures();
            if (figures.isEmpty()) {
                return;
            }
            lastUsage.put(lineId, new LastUsage(figures, clock.instant()));
            measure(lineId);
            decide(lineId, figures, outcome).ifPresent(this::hold);
        } catch (RuntimeException e) {
            LOG.warn("usage headers of an answer for line {} not applied: {}", lineId, e.getMessage());
        }
    }

    /**
     * The usage this node last read for the line ({@link #observe}), if any: memory only, so each node answers with
     * its own reading (another node's answers for the line may have carried other figures).
     */
    public Optional<LastUsage> lastUsage(long lineId) {
        return Optional.ofNullable(lastUsage.get(lineId));
    }

    private Optional<Pause> decide(long lineId, UsageFigures figures, GraphOutcome outcome) {
        long until = clock.millis() + Math.max(MIN_PAUSE.toMillis(),
                Duration.ofMinutes(figures.regainMinutes().orElse(0)).toMillis());
        OptionalInt app = figures.app();
        if (app.isPresent() && app.getAsInt() >= pausePercent) {
            return Optional.of(new Pause(Scope.APP, UsagePauses.THE_APP, until, "Meta's X-App-Usage reached "
                    + app.getAsInt() + "% (LINEGATE_USAGE_PAUSE_PERCENT=" + pausePercent + ")"));
        }
        OptionalInt line = figures.lineHighest();
        if (line.isPresent() && line.getAsInt() >= pausePercent) {
            return Optional.of(new Pause(Scope.LINE, lineId, until, "Meta's usage of the line reached " + line.getAsInt()
                    + "% (LINEGATE_USAGE_PAUSE_PERCENT=" + pausePercent + ")"));
        }
        if (outcome instanceof GraphOutcome.Rejected r
                && GraphErrorClass.of(r.error().code(), r.error().subcode()) == GraphErrorClass.RATE_LIMITED) {
            long later = Math.max(until, clock.millis() + r.error().retryAfterSeconds().orElse(0L) * 1000);
            boolean appWide = Integer.valueOf(4).equals(r.error().code());
            return Optional.of(new Pause(appWide ? Scope.APP : Scope.LINE, appWide ? UsagePauses.THE_APP : lineId, later,
                    "Meta answered rate-limit code " + r.error().code() + " with its usage headers"));
        }
        return Optional.empty();
    }

    /** Holds the pause here at once, and records it for the other nodes. */
    private void hold(Pause pause) {
        if (!merge(pause)) {
            return; // a pause at least as long holds already
        }
        LOG.warn("{} paused until {}: {}; direct sends answer 260 with retry_after until then",
                pause.scope() == Scope.APP ? "every line" : "line " + pause.scopeId(),
                Instant.ofEpochMilli(pause.untilMillis()), pause.reason());
        try {
            store.record(pause, clock.millis());
        } catch (RuntimeException e) {
            LOG.warn("the pause could not be recorded for the other nodes (it holds on this one): {}", e.getMessage());
        }
    }

    /** Keeps the pause if it ends later than the one held; true if it did. */
    private boolean merge(Pause pause) {
        if (pause.scope() == Scope.APP) {
            synchronized (this) {
                if (app != null && app.untilMillis() >= pause.untilMillis()) {
                    return false;
                }
                app = pause;
                return true;
            }
        }
        measure(pause.scopeId());
        boolean[] longer = {false};
        lines.compute(pause.scopeId(), (id, held) -> {
            if (held != null && held.untilMillis() >= pause.untilMillis()) {
                return held;
            }
            longer[0] = true;
            return pause;
        });
        return longer[0];
    }

    /**
     * Takes the pauses every node recorded, and drops the line pauses an operator ended since the last refresh
     * ({@link UsagePauses#end}); run about once a second, and at once after an operator's pause or resume on this
     * node. Never throws.
     */
    public synchronized void refresh() {
        try {
            long now = clock.millis();
            store.holding(now).forEach(this::merge);
            for (UsagePauses.Ended ended : store.endedAfter(endsSeenUpTo)) {
                lines.remove(ended.lineId());
                endsSeenUpTo = Math.max(endsSeenUpTo, ended.atMillis());
            }
            lines.values().removeIf(p -> p.untilMillis() <= now);
        } catch (RuntimeException e) {
            LOG.warn("could not read the other nodes' pauses, will retry: {}", e.getMessage());
        }
    }

    private boolean holds(Pause pause) {
        return pause != null && pause.untilMillis() > clock.millis();
    }

    /** Registers the line's gauges the first time it is seen: its last usage figures and whether it is paused. */
    private void measure(long lineId) {
        if (!measured.add(lineId)) {
            return;
        }
        String line = Long.toString(lineId);
        Gauge.builder("linegate.line.paused", this, p -> p.pausedFor(lineId).isPresent() ? 1 : 0)
                .description("1 while the line is paused on Meta's usage (its own or the app's)")
                .tag("line", line).register(registry);
        for (String header : new String[]{"app", "business", "page"}) {
            Gauge.builder("linegate.line.usage.percent", this, p -> p.lastFigure(lineId, header))
                    .description("The highest figure of Meta's last usage header of that kind on an answer for the line"
                            + " (NaN: none yet)")
                    .tag("line", line).tag("header", header).register(registry);
        }
    }

    private double lastFigure(long lineId, String header) {
        LastUsage last = lastUsage.get(lineId);
        if (last == null) {
            return Double.NaN;
        }
        UsageFigures f = last.figures();
        OptionalInt figure = switch (header) {
            case "app" -> f.app();
            case "business" -> f.business();
            default -> f.page();
        };
        return figure.isPresent() ? figure.getAsInt() : Double.NaN;
    }
}
