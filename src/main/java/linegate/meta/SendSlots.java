package linegate.meta;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-node bound on Send API calls in flight. {@code java.net.http} has no bound of its own: over HTTP/1.1 it opens
 * one connection per concurrent request, and 10,000 sends at once against a slow Graph opened about 10,000
 * connections, overflowed the peer's listen queue and took 1.25 GB. A call holds a slot from before its request until
 * its answer or failure, so connections to Meta, and the memory of exchanges waiting for Meta, stay within the bound.
 * <p>
 * Fair: slots go to sends in the order they asked, so no send waits behind later ones. Gauges
 * {@code linegate.graph.in.flight} (calls holding a slot) and {@code linegate.graph.waiting} (sends waiting for one).
 */
final class SendSlots {
    private final int max;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();

    SendSlots(int max, MeterRegistry metrics) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one Send API call must be allowed in flight, got " + max);
        }
        this.max = max;
        this.slots = new Semaphore(max, true);
        Gauge.builder("linegate.graph.in.flight", this, SendSlots::inFlight)
                .description("Graph Send API calls in flight (holding a slot)").strongReference(true).register(metrics);
        Gauge.builder("linegate.graph.waiting", this, SendSlots::waiting)
                .description("Sends waiting for a slot to call the Graph Send API").strongReference(true).register(metrics);
    }

    int max() {
        return max;
    }

    /**
     * Takes a slot, waiting at most {@code wait}; true means the caller holds one and must {@link #release()} it.
     *
     * @throws InterruptedException if interrupted while waiting; no slot is held then
     */
    boolean take(Duration wait) throws InterruptedException {
        // a zero wait honours fairness: no slot while earlier sends wait (the untimed tryAcquire() would barge ahead)
        if (slots.tryAcquire(0, TimeUnit.NANOSECONDS)) {
            return true;
        }
        waiting.incrementAndGet();
        try {
            return slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            waiting.decrementAndGet();
        }
    }

    void release() {
        slots.release();
    }

    int inFlight() {
        return max - slots.availablePermits();
    }

    int waiting() {
        return waiting.get();
    }
}
