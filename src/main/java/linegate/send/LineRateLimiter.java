package linegate.send;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import linegate.meta.OutboundMessage.Kind;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local send limit of each line, so Linegate answers 260 itself instead of spending a Graph call on a refusal:
 * Meta allows an Instagram professional account 100 sends/s for text and 10/s for audio and video (Instagram Platform
 * rate limits). Token buckets per line, in this process: with several nodes each node enforces the limit on its own.
 */
public final class LineRateLimiter {
    static final int MEDIA_PER_SECOND = 10;
    private final int sendsPerSecond;
    private final Map<Long, Bucket> all = new ConcurrentHashMap<>();
    private final Map<Long, Bucket> media = new ConcurrentHashMap<>();

    public LineRateLimiter(int sendsPerSecond) {
        if (sendsPerSecond < 1) {
            throw new IllegalArgumentException("sendsPerSecond must be at least 1");
        }
        this.sendsPerSecond = sendsPerSecond;
    }

    /** Takes one send from the line's budget; when none is left, the whole seconds to wait (at least 1). */
    public OptionalLong tryAcquire(long lineId, Kind kind) {
        if (kind == Kind.AUDIO || kind == Kind.VIDEO) {
            OptionalLong wait = take(media.computeIfAbsent(lineId, id -> bucket(Math.min(MEDIA_PER_SECOND, sendsPerSecond))));
            if (wait.isPresent()) {
                return wait;
            }
        }
        return take(all.computeIfAbsent(lineId, id -> bucket(sendsPerSecond)));
    }

    private static OptionalLong take(Bucket bucket) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        long nanos = probe.getNanosToWaitForRefill();
        return OptionalLong.of(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }

    private static Bucket bucket(int perSecond) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build();
    }
}
