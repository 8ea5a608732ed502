package linegate.events;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed callback is tried again: after about 1, 3, 12, 60, 180 and then every 360 units of {@code base}
 * (with the default base of 10 s: 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, then hourly), each delay spread by up to
 * 20 % either way so that the retries of many events failing together do not arrive together. {@code random} is
 * shared by the delivery's threads: a {@link java.util.Random}, which is thread-safe.
 */
public record RetrySchedule(Duration base, RandomGenerator random) {
    private static final long[] STEPS = {1, 3, 12, 60, 180, 360};

    public RetrySchedule {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("the retry base must be positive");
        }
    }

    /** The delay after the {@code failedAttempts}-th failure (1 for the first). */
    public Duration delayAfter(int failedAttempts) {
        long units = STEPS[Math.min(Math.max(failedAttempts, 1), STEPS.length) - 1];
        double nominal = (double) base.toMillis() * units;
        double jitter = 0.8 + 0.4 * random.nextDouble();
        return Duration.ofMillis(Math.max(1, Math.round(nominal * jitter)));
    }
}
