package linegate.events;

import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;
import linegate.store.LogRow;
import linegate.store.MessageLog;
import linegate.store.StoreUnavailableException;
import linegate.store.events.EventRow;
import linegate.store.events.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The event feed (docs/api.md, "The feed"): the caller's account's events with a seq above {@code after}, in seq order,
 * and the cursor to ask with next. With {@code wait}, an empty answer is held until a first event or the time is up
 * (a long poll). Another account's events never appear: the account is the caller's, from its token.
 * <p>
 * Long polls hold a request slot each, so a node holds at most {@code maxWaiting} at once; one more is answered 503
 * with Retry-After at once, as an overloaded node answers (LINEGATE_MAX_CONCURRENT_REQUESTS). When the node stops,
 * every waiting reader is answered at once with what there is.
 */
public final class EventFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;
    public static final int MAX_WAIT_SECONDS = 30;
    /** How often waiting readers' accounts are checked for new events (one query per node, not per reader). */
    public static final Duration WATCH_EVERY = Duration.ofMillis(250);

    /** One answer: the events in seq order and the cursor ({@code after} when there are none). */
    public record Page(List<Map<String, Object>> events, long next) {
        public Page {
            events = List.copyOf(events);
        }
    }

    private final Outbox outbox;
    private final MessageLog log;
    private final FeedWatcher watcher;
    private final Semaphore waiting;
    private final int maxWaiting;

    public EventFeed(Outbox outbox, MessageLog log, int maxWaiting) {
        this(outbox, log, maxWaiting, WATCH_EVERY);
    }

    EventFeed(Outbox outbox, MessageLog log, int maxWaiting, Duration watchEvery) {
        this.outbox = outbox;
        this.log = log;
        this.maxWaiting = maxWaiting;
        this.waiting = new Semaphore(maxWaiting);
        this.watcher = new FeedWatcher(outbox, watchEvery);
    }

    public Page read(long accountId, Params params) {
        long after = number(params, "after", 0, Long.MAX_VALUE, StatusCode.INVALID_AFTER,
                "after must be a non-negative integer: the next of your previous answer, or 0");
        int limit = (int) number(params, "limit", DEFAULT_LIMIT, MAX_LIMIT, StatusCode.INVALID_LIMIT,
                "limit must be an integer from 1 to " + MAX_LIMIT);
        if (limit < 1) {
            throw ApiException.of(StatusCode.INVALID_LIMIT, "limit must be an integer from 1 to " + MAX_LIMIT);
        }
        int wait = (int) number(params, "wait", 0, MAX_WAIT_SECONDS, StatusCode.INVALID_WAIT,
                "wait must be an integer number of seconds from 0 to " + MAX_WAIT_SECONDS);
        Page page = page(accountId, after, limit);
        if (!page.events().isEmpty() || wait == 0) {
            return page;
        }
        return awaitFirst(accountId, after, limit, Duration.ofSeconds(wait));
    }

    private Page awaitFirst(long accountId, long after, int limit, Duration wait) {
        if (!waiting.tryAcquire()) {
            throw ApiException.of(StatusCode.SERVICE_UNAVAILABLE, "this node already holds " + maxWaiting
                    + " waiting event feed requests; retry shortly, or ask without wait").withRetryAfter(1);
        }
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            long seen = after;
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Page(List.of(), after);
                }
                long last = watcher.await(accountId, seen, Duration.ofNanos(left));
                Page page = page(accountId, after, limit);
                // nothing past after although the seq moved: those events are gone (retention); wait for newer ones
                if (!page.events().isEmpty() || last <= seen) {
                    return page;
                }
                seen = last;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Page(List.of(), after);
        } finally {
            waiting.release();
        }
    }

    private Page page(long accountId, long after, int limit) {
        try {
            List<EventRow> rows = outbox.after(accountId, after, limit);
            Map<Long, LogRow> messages = log.findAll(rows.stream().flatMap(e -> e.cdlsId().stream()).distinct().toList());
            List<Map<String, Object>> events = rows.stream()
                    .map(e -> EventRendering.render(e, e.cdlsId().map(messages::get)))
                    .toList();
            return new Page(events, rows.isEmpty() ? after : rows.getLast().seq());
        } catch (StoreUnavailableException e) {
            LOG.warn("the event feed answered 503: {}", e.getMessage());
            throw ApiException.databaseUnavailable();
        }
    }

    /** A parameter of whole digits within [0, max]; missing means {@code fallback}. */
    private static long number(Params params, String name, long fallback, long max, StatusCode invalid, String how) {
        if (!params.present(name)) {
            return fallback;
        }
        String raw = params.text(name).map(String::strip).orElse("");
        if (!raw.matches("[0-9]{1,18}") || Long.parseLong(raw) > max) {
            throw ApiException.of(invalid, how);
        }
        return Long.parseLong(raw);
    }

    /** Answers every waiting reader now, with what there is; called when the node stops admitting requests. */
    @Override
    public void close() {
        watcher.close();
    }
}
