package linegate.queue;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a queued send waits before it is tried again: {@code base} doubled after each failed attempt (1, 2, 4, 8 …
 * units, at most 300), and for Meta's rate limits 30 times that (at most 3600 units: Meta says to stop calling while
 * throttled, and a page that keeps calling stays throttled longer). Each delay is spread by up to 20 % either way, so
 * that many sends failing together do not come back together. With the default base of 1 s: 1 s, 2 s, 4 s … 5 min;
 * rate-limited 30 s, 1 min, 2 min … 1 h. {@code random} is shared by the workers' threads (a
 * {@link java.util.Random}).
 */
public record RetryBackoff(Duration base, RandomGenerator random) {
    private static final long MAX_UNITS = 300;
    private static final long RATE_LIMITED_UNITS = 30;
    private static final long MAX_RATE_LIMITED_UNITS = 3600;

    public RetryBackoff {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("the retry base must be positive");
        }
    }

    /** The delay after the {@code failedAttempts}-th failed attempt (1 for the first). */
    public Duration after(int failedAttempts, boolean rateLimited) {
        int doublings = Math.min(Math.max(failedAttempts, 1) - 1, 20);
        long units = rateLimited ? Math.min(RATE_LIMITED_UNITS << doublings, MAX_RATE_LIMITED_UNITS)
                : Math.min(1L << doublings, MAX_UNITS);
        double jitter = 0.8 + 0.4 * random.nextDouble();
        return Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * units * jitter)));
    }
}
