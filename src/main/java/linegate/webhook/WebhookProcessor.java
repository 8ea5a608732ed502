package linegate.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import linegate.channel.Channels;
import linegate.meta.WebhookEvent;
import linegate.meta.WebhookParser;
import linegate.store.Comments;
import linegate.store.Conversations;
import linegate.store.Lines;
import linegate.store.MessageLog;
import linegate.store.WebhookInbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;

/**
 * Applies stored deliveries after Meta has its 200: at once, on a background thread, and again from the inbox for any
 * delivery that was not applied (the process stopped, the database failed). Because applying is idempotent, a delivery
 * applied twice (a redelivery, a sweep racing the first attempt, two nodes) changes nothing the second time.
 */
public final class WebhookProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookProcessor.class);
    /** A delivery that failed this often is left in the inbox with its last error, for an operator to look at. */
    static final int MAX_ATTEMPTS = 10;
    /** How old an unapplied delivery must be before a sweep takes it (the first attempt is normally done by then). */
    static final Duration SWEEP_AGE = Duration.ofSeconds(10);

    private final WebhookInbox inbox;
    private final WebhookParser parser = new WebhookParser();
    private final EventApplier applier;
    private final Channels channels;
    private final Clock clock;
    private final MeterRegistry metrics;
    /** Each tag set's counter, registered once (the known kinds at start, an unknown kind on first use). */
    private final Map<EventTags, Counter> eventCounters = new ConcurrentHashMap<>();
    /** One applier thread with a bounded queue: past it, deliveries wait in the inbox for the sweep. */
    private final ExecutorService worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(10_000), Thread.ofPlatform().name("linegate-webhooks").daemon().factory(),
            new ThreadPoolExecutor.DiscardPolicy());

    public WebhookProcessor(WebhookInbox inbox, Channels channels, Lines lines, MessageLog log,
                            Conversations conversations, Comments comments, Clock clock, MeterRegistry metrics) {
        this.inbox = inbox;
        this.channels = channels;
        this.applier = new EventApplier(channels, lines, log, conversations, comments, clock);
        this.clock = clock;
        this.metrics = metrics;
        // every channel's every kind and result at 0 from the start, so a rate over them needs no first event
        for (String object : channels.webhookObjects()) {
            for (Class<?> kind : WebhookEvent.class.getPermittedSubclasses()) {
                if (kind != WebhookEvent.Unknown.class) {
                    for (EventApplier.Result result : EventApplier.Result.values()) {
                        counter(new EventTags(object, kindTag(kind), result.name().toLowerCase(Locale.ROOT)));
                    }
                }
            }
        }
    }

    /** Applies the stored delivery soon, off the request thread, its log lines with the delivery's request id. */
    public void submit(long inboxId, byte[] body) {
        Map<String, String> requestContext = MDC.getCopyOfContextMap();
        try {
            worker.execute(() -> {
                if (requestContext != null) {
                    MDC.setContextMap(requestContext);
                }
                try {
                    process(inboxId, body);
                } finally {
                    MDC.clear();
                }
            });
        } catch (RejectedExecutionException stopping) {
            // shutting down: the sweep of the next start applies it
        }
    }

    /** Applies every delivery left unapplied; run at start-up and periodically. */
    public void sweep() {
        try {
            for (WebhookInbox.Pending p : inbox.pending(clock.millis() - SWEEP_AGE.toMillis(), MAX_ATTEMPTS, 500)) {
                process(p.id(), p.body());
            }
        } catch (RuntimeException e) {
            LOG.warn("webhook sweep failed, will retry: {}", e.getMessage());
        }
    }

    void process(long inboxId, byte[] body) {
        try {
            for (WebhookEvent event : parser.parse(body)) {
                EventApplier.Result result = applier.apply(event).result();
                count(event, result);
                if (result == EventApplier.Result.NO_LINE) {
                    LOG.info("webhook inbox {}: no line for {} entry {}", inboxId, event.target().object(),
                            event.target().entryId());
                }
            }
            inbox.markProcessed(inboxId, clock.millis());
        } catch (WebhookParser.MalformedDeliveryException e) {
            String error = errorText(e);
            LOG.warn("webhook inbox {}: {}; kept, not applied", inboxId, error);
            markFailed(inboxId, error, true); // it will never parse: no retries
        } catch (RuntimeException e) {
            String error = errorText(e);
            LOG.warn("webhook inbox {} not applied, will retry: {}", inboxId, error);
            markFailed(inboxId, error, false);
        }
    }

    /**
     * Records the failed attempt. If even that fails, the attempt is still counted (without its text), so a delivery
     * that cannot be applied runs out of retries instead of being retried every sweep forever.
     */
    private void markFailed(long inboxId, String error, boolean permanent) {
        int used = permanent ? MAX_ATTEMPTS : 1;
        try {
            inbox.markFailed(inboxId, error, used);
        } catch (RuntimeException e) {
            LOG.warn("webhook inbox {}: cannot record the failure ({}); counting the attempt alone", inboxId, errorText(e));
            try {
                inbox.countAttempt(inboxId, used);
            } catch (RuntimeException again) {
                LOG.warn("webhook inbox {}: cannot count the attempt either: {}", inboxId, errorText(again));
            }
        }
    }

    /** Longest error text kept in {@code last_error} and the log. */
    static final int MAX_ERROR_CHARS = 500;

    /**
     * An error as the inbox and the log keep it: the exception and its root cause, never the statement's bound values
     * (Jdbi's messages quote them, and they hold customers' messages), without control characters (NUL included), and
     * at most {@link #MAX_ERROR_CHARS} characters.
     */
    static String errorText(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e == root || e instanceof WebhookParser.MalformedDeliveryException
                ? e.getClass().getSimpleName() + ": " + e.getMessage()
                : e.getClass().getSimpleName() + " caused by " + root.getClass().getSimpleName() + ": " + root.getMessage();
        StringBuilder clean = new StringBuilder(Math.min(text.length(), MAX_ERROR_CHARS));
        text.codePoints().limit(MAX_ERROR_CHARS)
                .forEach(c -> clean.appendCodePoint(Character.isISOControl(c) || c == '\uFFFF' ? '?' : c));
        return clean.toString();
    }

    private record EventTags(String object, String kind, String result) {
    }

    private void count(WebhookEvent event, EventApplier.Result result) {
        String kind = event instanceof WebhookEvent.Unknown u ? u.kind() : kindTag(event.getClass());
        // a bounded tag: the objects Linegate has channels for, and "other"
        EventTags tags = new EventTags(channels.webhookObjects().contains(event.target().object())
                ? event.target().object() : "other", kind.length() > 40 ? kind.substring(0, 40) : kind,
                result.name().toLowerCase(Locale.ROOT));
        counter(tags).increment();
    }

    private static String kindTag(Class<?> kind) {
        return kind.getSimpleName().toLowerCase(Locale.ROOT);
    }

    private Counter counter(EventTags tags) {
        return eventCounters.computeIfAbsent(tags, t -> Counter.builder("linegate.webhook.events")
                .description("Webhook events by channel, kind and what became of them")
                .tag("object", t.object())
                .tag("kind", t.kind())
                .tag("result", t.result())
                .register(metrics));
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
