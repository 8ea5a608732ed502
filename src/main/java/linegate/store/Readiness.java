package linegate.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether this node's store can serve sends: the database accepts a write (one row of {@code health_probe} upserted
 * within {@link #PROBE_TIMEOUT}), and the group-commit log writer committed its last batch or last failed more than
 * {@link #WRITER_FAILURE_HOLD} ago (so a node nobody sends to recovers on its own once the database does).
 * <p>
 * A write, not a read: with a full disk SQLite still answers {@code SELECT 1}, while every send fails. One probe runs at
 * a time, and its answer is kept for {@link #CACHE_FOR}: however often {@code /health} is called, the database sees at
 * most one probe write a second from a node.
 */
public final class Readiness {
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration CACHE_FOR = Duration.ofSeconds(1);
    static final Duration WRITER_FAILURE_HOLD = Duration.ofSeconds(5);

    /** What the probe found; {@link #ready()} when both hold. */
    public record Report(boolean database, boolean logWriter) {
        public boolean ready() {
            return database && logWriter;
        }
    }

    private record Probe(CompletableFuture<Boolean> write, long startedNanos) {
    }

    private record Cached(Report report, long atNanos) {
    }

    private final Database db;
    private final Optional<BatchingMessageLogWriter> writer;
    private final Clock clock;
    /** Not {@code synchronized}: callers are virtual threads, which a monitor held while waiting would pin (JDK 21). */
    private final ReentrantLock lock = new ReentrantLock();
    private Probe running;
    private Cached last;

    /** {@code writer}: the group-commit writer, if the node uses one (with the plain writer the probe write decides). */
    public Readiness(Database db, Optional<BatchingMessageLogWriter> writer, Clock clock) {
        this.db = db;
        this.writer = writer;
        this.clock = clock;
    }

    /** The latest report, probing again when the cached one is older than {@link #CACHE_FOR}. */
    public Report check() {
        lock.lock();
        try {
            long now = System.nanoTime();
            if (last != null && now - last.atNanos() < CACHE_FOR.toNanos()) {
                return last.report();
            }
            boolean writerOk = writer.map(w -> !w.failedWithin(WRITER_FAILURE_HOLD)).orElse(true);
            last = new Cached(new Report(databaseAcceptsAWrite(now), writerOk), System.nanoTime());
            if (!last.report().ready()) {
                LOG.warn("not ready: database accepts a write: {}, message log writer healthy: {}",
                        last.report().database(), writerOk);
            }
            return last.report();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a probe write unless one is still running (a stuck database is not asked again and again), and waits for
     * it until {@link #PROBE_TIMEOUT} after it started.
     */
    private boolean databaseAcceptsAWrite(long now) {
        if (running == null || running.write().isDone()) {
            CompletableFuture<Boolean> write = new CompletableFuture<>();
            Thread.ofVirtual().name("linegate-readiness-probe").start(() -> write.complete(probeWrite()));
            running = new Probe(write, now);
        }
        long left = running.startedNanos() + PROBE_TIMEOUT.toNanos() - System.nanoTime();
        try {
            return running.write().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private boolean probeWrite() {
        try {
            db.call(h -> h.createUpdate("""
                            INSERT INTO health_probe (id, probed_at) VALUES (1, :now)
                            ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at""")
                    .bind("now", clock.millis())
                    .execute());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("readiness probe: the database did not accept a write: {}", Database.rootMessage(e));
            return false;
        }
    }
}
