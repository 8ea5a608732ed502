package linegate.store;

import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit: many requests' log writes (and webhook deliveries, {@link #deliveries()}) in one transaction, so one fsync (SQLite) or one commit round trip
 * (PostgreSQL) serves a whole batch instead of one write. The durability promise of {@link MessageLogWriter} is kept:
 * each caller is answered only after the transaction holding its write has committed.
 * <p>
 * Callers (one virtual thread per request) queue their write and wait. One writer thread takes the first queued
 * write and every write queued behind it, up to {@code maxBatch}, and runs them in queue order in one transaction.
 * Writes queued while a batch commits form the next batch at once: under load the batch size follows the commit time,
 * with no timer. Only when the writer was idle does it linger, up to {@code maxWait} after the first write arrived, for
 * company; zero (the default) never lingers.
 * <ul>
 *   <li>A write the database declines or refuses fails only its own caller, as it would alone; if the batch cannot
 *       commit, nothing of it is written and every caller in it gets {@link StoreUnavailableException} (a 503). See
 *       {@link BatchTransaction}.</li>
 *   <li>One row's writes keep their order: the queue is FIFO and there is one writer, and a finish can only name an id
 *       its append returned, that is after the append committed.</li>
 * </ul>
 */
public final class BatchingMessageLogWriter implements MessageLogWriter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingMessageLogWriter.class);
    /** How long {@link #close()} waits for the queued writes to be committed. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** A test seam: runs inside each batch's transaction after its writes, before the commit. */
    @FunctionalInterface
    interface BeforeCommit {
        BeforeCommit NONE = (h, batchSize) -> { };

        void run(Handle h, int batchSize);
    }

    /** Transactions committed and the writes in them, since start. */
    public record Stats(long batches, long writes, int largestBatch) {
    }

    private final BatchTransaction transaction;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<QueuedWrite<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private volatile int largestBatch;
    /** {@link System#nanoTime()} of the last batch that committed none of its writes, while no batch has since. */
    private volatile long failedAtNanos;
    private volatile boolean failing;

    /** Writes through {@code log}, the table's owner: its SQL, and its {@link ChangeRecorder} in each batch. */
    public BatchingMessageLogWriter(MessageLog log, int maxBatch, Duration maxWait) {
        this(log, maxBatch, maxWait, BeforeCommit.NONE);
    }

    BatchingMessageLogWriter(MessageLog log, int maxBatch, Duration maxWait, BeforeCommit beforeCommit) {
        if (maxBatch < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxBatch must be at least 1 and maxWait not negative");
        }
        this.transaction = new BatchTransaction(log, log.kind() == Database.Kind.POSTGRESQL, beforeCommit);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.writer = Thread.ofPlatform().name("linegate-log-writer").daemon().start(this::run);
    }

    @Override
    public MessageChange append(NewLogEntry entry) {
        return submit(new QueuedWrite.Append(entry));
    }

    @Override
    public List<MessageChange> finish(long id, LogOutcome outcome) {
        return submit(new QueuedWrite.Finish(id, outcome));
    }

    /**
     * Webhook deliveries for {@link WebhookInbox}, written in the same batches as the message log's writes, so a burst
     * of deliveries shares one fsync (SQLite) or one commit (PostgreSQL) per batch. Each returns once its batch has
     * committed, like the log's writes.
     */
    public InboxWriter deliveries() {
        return (body, receivedAtMillis) -> submit(new QueuedWrite.Delivery(body, receivedAtMillis));
    }

    /** Counted by the writer thread just after it answers a batch's callers, so it may lag a returned write briefly. */
    public Stats stats() {
        return new Stats(batches.get(), writes.get(), largestBatch);
    }

    /**
     * True when the last batch committed none of its writes (the database refused them all: a full disk, a lost
     * connection) and that was less than {@code within} ago, or the writer thread has stopped. For readiness.
     */
    public boolean failedWithin(Duration within) {
        return !closed && !writer.isAlive()
                || failing && System.nanoTime() - failedAtNanos < within.toNanos();
    }

    private void noteOutcome(boolean committed) {
        if (!committed) {
            failedAtNanos = System.nanoTime();
        }
        failing = !committed;
    }

    /** Whether the writer thread is still alive. */
    boolean running() {
        return writer.isAlive();
    }

    /** Writes waiting for the writer thread (not counting the batch it is running). */
    int queued() {
        return queue.size();
    }

    /**
     * Queues the write and waits for its batch. An interrupted caller still gets a definite answer: if its write was
     * still queued it is withdrawn (nothing written, {@link StoreUnavailableException}); once the writer has taken it,
     * the caller waits for the batch's outcome. Either way the thread's interrupt status is kept.
     */
    private <T> T submit(QueuedWrite<T> w) {
        if (closed) {
            throw stopped();
        }
        queue.add(w);
        if (closed && queue.remove(w)) {
            throw stopped(); // closed while we queued, and neither the writer nor close() took it
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return w.result().get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (queue.remove(w)) {
                        throw new StoreUnavailableException("interrupted while waiting to write to the message log;"
                                + " nothing was written", e);
                    }
                } catch (ExecutionException e) {
                    throw forCaller(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        List<QueuedWrite<?>> batch = new ArrayList<>(maxBatch);
        boolean stop = false;
        boolean afterBatch = false;
        while (!stop) {
            try {
                stop = takeBatch(batch, afterBatch);
                afterBatch = !batch.isEmpty();
                int written = transaction.write(batch);
                noteOutcome(batch.isEmpty() || written > 0);
                count(written);
            } catch (Throwable e) {
                noteOutcome(false);
                // write() answers every caller itself, so this is a bug; it fails the batch but must not stop the writer
                LOG.error("message log writer: unexpected failure, the batch's callers are answered 503", e);
                BatchTransaction.failAll(batch, new StoreUnavailableException("the message log writer failed: " + e, e));
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Fills {@code batch} with the first queued write and those behind it. Writes that queued up while the previous
     * batch ran go at once; only a write that finds the writer idle lingers for company. True when
     * {@link QueuedWrite#STOP} was taken: every write queued before it is then in this batch.
     */
    private boolean takeBatch(List<QueuedWrite<?>> batch, boolean afterBatch) {
        QueuedWrite<?> first = afterBatch ? queue.poll() : null;
        boolean wasIdle = first == null;
        while (first == null) {
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                // nothing taken yet; only close() (through STOP) ends the writer
            }
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        if (wasIdle && maxWaitNanos > 0 && !batch.contains(QueuedWrite.STOP)) {
            linger(batch, first.queuedAt() + maxWaitNanos);
        }
        return batch.remove(QueuedWrite.STOP);
    }

    private void linger(List<QueuedWrite<?>> batch, long deadline) {
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            QueuedWrite<?> next;
            try {
                next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
            if (batch.contains(QueuedWrite.STOP)) {
                return;
            }
        }
    }

    private void count(int batchSize) {
        if (batchSize == 0) {
            return;
        }
        batches.incrementAndGet();
        writes.addAndGet(batchSize);
        if (batchSize > largestBatch) {
            largestBatch = batchSize;
        }
    }

    /**
     * Stops taking writes, commits those already queued (for up to {@link #DRAIN_TIMEOUT}), then stops the writer
     * thread. Writes submitted after this get {@link StoreUnavailableException}, and so do any the writer could not
     * reach in time. Call it after the HTTP server has stopped and before the database closes.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(QueuedWrite.STOP);
        try {
            writer.join(DRAIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<QueuedWrite<?>> left = new ArrayList<>();
        queue.drainTo(left);
        left.removeIf(w -> w == QueuedWrite.STOP);
        if (!left.isEmpty()) {
            LOG.warn("message log writer stopped with {} writes not written; their callers are answered 503", left.size());
        }
        BatchTransaction.failAll(left, stopped());
    }

    private static StoreUnavailableException stopped() {
        return new StoreUnavailableException("the message log writer is stopped (the server is shutting down)", null);
    }

    /**
     * A batch's failure is one exception shared by all its callers: each caller throws its own copy, with its own
     * stack, around it. A write's own refusal already belongs to one caller.
     */
    private static RuntimeException forCaller(Throwable cause) {
        if (cause instanceof StoreUnavailableException shared) {
            return new StoreUnavailableException(shared.getMessage(), shared);
        }
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }
}
