package linegate.send;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import linegate.meta.OutboundMessage.Kind;
import linegate.store.Line;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Each line's send budget (contract §10), so Linegate answers 260 itself instead of spending a Graph call on a
 * refusal: the line's own {@code --sends-per-second}, else {@code LINEGATE_LINE_SENDS_PER_SECOND} (Meta allows an
 * Instagram professional account 100 sends/s for text), and at most 10/s of it for audio and video.
 * <p>
 * The budget is the line's, not the node's: the live nodes share it equally, so this node's token bucket refills at
 * the budget divided by {@code liveNodes} (read from the node heartbeat, docs/operations.md, "A line's budget across
 * nodes"). The hot path reads no database; a bucket is rebuilt when the line's budget or the number of nodes changes.
 * Equal shares keep the sum over all nodes within the budget whatever the load balancer does, at the price of a node
 * refusing when the others' shares go unused.
 * <p>
 * A sender that can wait (the queue) takes the same buckets through {@link #tryAcquireSmoothly}: only while a bucket is
 * within a tenth of its capacity of full. A backlog then goes out at the budget's rate with bursts of at most a tenth
 * of a second's budget, so no second carries more than 1.1 times it (one send for budgets under 10/s), and the rest of
 * the bucket stays for direct sends, whose callers cannot wait: queued sends yield to them.
 */
public final class LineRateLimiter {
    static final int MEDIA_PER_SECOND = 10;
    private final int defaultPerSecond;
    private final IntSupplier liveNodes;
    private final TimeMeter time;
    private final Map<Long, Budget> all = new ConcurrentHashMap<>();
    private final Map<Long, Budget> media = new ConcurrentHashMap<>();

    /** A bucket and what it was built for. */
    private record Budget(Bucket bucket, int perSecond, int nodes) {
    }

    /**
     * @param defaultPerSecond a line's budget unless it has its own, at least 1
     * @param liveNodes        how many nodes share each budget now, at least 1
     */
    public LineRateLimiter(int defaultPerSecond, IntSupplier liveNodes) {
        this(defaultPerSecond, liveNodes, TimeMeter.SYSTEM_MILLISECONDS);
    }

    /** With the buckets' clock in hand (tests): {@code time} is what refills them. */
    LineRateLimiter(int defaultPerSecond, IntSupplier liveNodes, TimeMeter time) {
        if (defaultPerSecond < 1) {
            throw new IllegalArgumentException("sendsPerSecond must be at least 1");
        }
        this.defaultPerSecond = defaultPerSecond;
        this.liveNodes = liveNodes;
        this.time = time;
    }

    /** One node alone: the whole budget is this node's. */
    public LineRateLimiter(int defaultPerSecond) {
        this(defaultPerSecond, () -> 1);
    }

    /** Takes one send from the line's budget; when none is left, the whole seconds to wait (at least 1). */
    public OptionalLong tryAcquire(Line line, Kind kind) {
        return tryAcquire(line.id(), line.sendsPerSecond(), kind);
    }

    /** As {@link #tryAcquire(Line, Kind)}, for a line known by id and its own budget (empty: the default). */
    public OptionalLong tryAcquire(long lineId, OptionalInt ownPerSecond, Kind kind) {
        int perSecond = ownPerSecond.orElse(defaultPerSecond);
        int nodes = Math.max(1, liveNodes.getAsInt());
        if (kind == Kind.AUDIO || kind == Kind.VIDEO) {
            OptionalLong wait = take(media, lineId, Math.min(MEDIA_PER_SECOND, perSecond), nodes);
            if (wait.isPresent()) {
                return wait;
            }
        }
        return take(all, lineId, perSecond, nodes);
    }

    /**
     * As {@link #tryAcquire(long, OptionalInt, Kind)} for a send that can wait: taken only when each of its buckets
     * holds at least all but a tenth of its capacity (all of it, for a capacity under 10), else empty-handed with a
     * wait of 1 s. Called by one thread at a time (the queue's poller), so no other smooth taker races the check.
     */
    public OptionalLong tryAcquireSmoothly(long lineId, OptionalInt ownPerSecond, Kind kind) {
        int perSecond = ownPerSecond.orElse(defaultPerSecond);
        int nodes = Math.max(1, liveNodes.getAsInt());
        boolean media = kind == Kind.AUDIO || kind == Kind.VIDEO;
        if (media && !nearlyFull(budget(this.media, lineId, Math.min(MEDIA_PER_SECOND, perSecond), nodes))
                || !nearlyFull(budget(all, lineId, perSecond, nodes))) {
            return OptionalLong.of(1);
        }
        return tryAcquire(lineId, ownPerSecond, kind);
    }

    private static boolean nearlyFull(Budget budget) {
        long full = capacity(budget.perSecond(), budget.nodes());
        return budget.bucket().getAvailableTokens() > full - Math.max(1, full / 10);
    }

    private OptionalLong take(Map<Long, Budget> budgets, long lineId, int perSecond, int nodes) {
        ConsumptionProbe probe = budget(budgets, lineId, perSecond, nodes).bucket().tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        long nanos = probe.getNanosToWaitForRefill();
        return OptionalLong.of(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }

    private Budget budget(Map<Long, Budget> budgets, long lineId, int perSecond, int nodes) {
        Budget budget = budgets.get(lineId);
        if (budget == null || budget.perSecond() != perSecond || budget.nodes() != nodes) {
            budget = budgets.compute(lineId, (id, held) -> held != null && held.perSecond() == perSecond
                    && held.nodes() == nodes ? held : new Budget(bucket(perSecond, nodes), perSecond, nodes));
        }
        return budget;
    }

    /** This node's share of a second's budget: what its bucket holds when full (at least one send). */
    private static long capacity(int perSecond, int nodes) {
        return Math.max(1, perSecond / nodes);
    }

    /** This node's share: {@code perSecond / nodes} a second, and as much at once. */
    private Bucket bucket(int perSecond, int nodes) {
        return Bucket.builder()
                .withCustomTimePrecision(time)
                .addLimit(Bandwidth.builder().capacity(capacity(perSecond, nodes))
                        .refillGreedy(perSecond, Duration.ofSeconds(nodes)).build())
                .build();
    }
}
