package linegate.events;

import linegate.store.events.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Wakes the node's long-polling feed readers when their account has an event past theirs. One virtual thread asks the
 * database every {@code every} for the last seq of the accounts being waited on (one query for all readers, none while
 * nobody waits), so the database sees one query per interval however many readers wait; a waiting reader holds no
 * platform thread. Events written on any node are seen, since the database is asked.
 */
final class FeedWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedWatcher.class);

    private final Outbox outbox;
    private final Duration every;
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    /** One reader: woken with the account's last seq once it passes {@code after}. */
    private record Waiter(long accountId, long after, CompletableFuture<Long> woken) {
    }

    FeedWatcher(Outbox outbox, Duration every) {
        this.outbox = outbox;
        this.every = every;
        this.thread = Thread.ofVirtual().name("linegate-feed-watcher").start(this::run);
    }

    /**
     * Waits up to {@code max} until the account's last seq passes {@code after}, or the node stops; the last seq seen
     * then ({@code after} when nothing came).
     */
    long await(long accountId, long after, Duration max) throws InterruptedException {
        Waiter w = new Waiter(accountId, after, new CompletableFuture<>());
        waiters.add(w);
        try {
            if (closed) {
                return after;
            }
            return w.woken().get(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return after;
        } catch (ExecutionException e) {
            return after;
        } finally {
            waiters.remove(w);
        }
    }

    int waiting() {
        return waiters.size();
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            if (!waiters.isEmpty()) {
                poll();
            }
        }
    }

    private void poll() {
        Map<Long, Long> last;
        try {
            last = outbox.lastSeqs(waiters.stream().map(Waiter::accountId).distinct().toList());
        } catch (RuntimeException e) {
            // the readers time out and read the feed themselves, which answers 503 if the database is still away
            LOG.debug("feed watcher could not read the accounts' last seq: {}", e.getMessage());
            return;
        }
        for (Waiter w : waiters) {
            Long seq = last.get(w.accountId());
            if (seq != null && seq > w.after()) {
                w.woken().complete(seq);
            }
        }
    }

    /** Wakes every reader at once (they answer with what there is) and stops watching. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        waiters.forEach(w -> w.woken().complete(w.after()));
    }
}
