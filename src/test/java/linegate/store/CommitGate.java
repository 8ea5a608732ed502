package linegate.store;

import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The writer's before-commit seam, for tests: records every batch's size, can hold batches inside their transaction
 * (writes done, commit not yet) until released, and can do something to the next batch's transaction.
 */
final class CommitGate implements BatchingMessageLogWriter.BeforeCommit {
    private final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<Integer> held = new LinkedBlockingQueue<>();
    private final Semaphore permits = new Semaphore(0);
    private volatile boolean holding;
    private final AtomicReference<Consumer<Handle>> nextBatch = new AtomicReference<>();

    @Override
    public void run(Handle h, int batchSize) {
        sizes.add(batchSize);
        Consumer<Handle> action = nextBatch.getAndSet(null);
        if (action != null) {
            action.accept(h);
        }
        if (holding) {
            held.add(batchSize);
            try {
                if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a held batch was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** From now on, each batch waits before its commit until {@link #releaseOne()} or {@link #release()}. */
    void hold() {
        permits.drainPermits();
        holding = true;
    }

    /** Lets one held batch commit; the next one is held again. */
    void releaseOne() {
        permits.release();
    }

    /** Lets the held batch and every later one commit. */
    void release() {
        holding = false;
        permits.release(1_000);
    }

    /** Waits until a batch is held before its commit; its size. */
    int awaitHeld() {
        try {
            Integer size = held.poll(30, TimeUnit.SECONDS);
            if (size == null) {
                throw new AssertionError("no batch reached its commit within 30 s");
            }
            return size;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next batch to reach its commit runs this first, inside its transaction. */
    void onNextBatch(Consumer<Handle> action) {
        nextBatch.set(action);
    }

    /** The size of every batch that reached its commit so far, in order. */
    List<Integer> sizes() {
        synchronized (sizes) {
            return List.copyOf(sizes);
        }
    }
}
