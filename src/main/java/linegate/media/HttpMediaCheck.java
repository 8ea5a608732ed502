package linegate.media;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import linegate.meta.OutboundMessage.Kind;
import linegate.store.LineClass;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The media check of {@code LINEGATE_MEDIA_CHECK=true}: asks each URL ({@link MediaProber}), judges the answer for the
 * kind and channel ({@link MediaRules}), and keeps what each URL answered, so sends of one image to many customers
 * ask once. Concurrent checks of one URL share one request. A check returns within the time bound (plus a second's
 * margin for the hand-over), whatever the server does.
 * <p>
 * A 2xx answer is kept {@link #ANSWER_KEPT} (contract §11); an answer that refuses the media only
 * {@link #REFUSAL_KEPT}, so a client that fixes its file (uploads it, makes it public) can send it a minute later
 * instead of ten, while a flood of sends to one broken URL still asks it at most once a minute.
 */
public final class HttpMediaCheck implements MediaCheck, AutoCloseable {
    public static final Duration ANSWER_KEPT = Duration.ofMinutes(10);
    public static final Duration REFUSAL_KEPT = Duration.ofMinutes(1);
    static final int MAX_ENTRIES = 10_000;
    private static final Duration HAND_OVER = Duration.ofSeconds(1);

    private final MediaProber prober;
    private final Duration timeout;
    private final ExecutorService probes = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("linegate-media-check-", 1).factory());
    private final Clock clock;
    private final AsyncCache<String, Kept> answers;
    private final Map<Class<? extends MediaVerdict>, Counter> outcomes;

    /**
     * @param allowPrivate {@code LINEGATE_MEDIA_ALLOW_PRIVATE}: when false, hosts are checked by {@code policy}
     * @param timeout      the whole check's bound, redirects included ({@code LINEGATE_MEDIA_CHECK_TIMEOUT_MS})
     */
    public HttpMediaCheck(boolean allowPrivate, AddressPolicy policy, Duration timeout, Clock clock,
                          MeterRegistry registry) {
        this(InetAddress::getAllByName, allowPrivate ? AddressPolicy.ANY : policy, timeout, clock, registry);
    }

    HttpMediaCheck(PinnedResolver.Resolver resolver, AddressPolicy policy, Duration timeout, Clock clock,
                   MeterRegistry registry) {
        this.timeout = timeout;
        this.clock = clock;
        this.prober = new MediaProber(new PinnedResolver(resolver, policy,
                " (the operator may allow private ones with LINEGATE_MEDIA_ALLOW_PRIVATE=true)"), timeout);
        this.answers = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfter(Expiry.creating((String url, Kept kept) -> kept.keptFor(clock.millis())))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .recordStats()
                .buildAsync();
        this.outcomes = Map.of(
                MediaVerdict.Accepted.class, counter(registry, "accepted"),
                MediaVerdict.NotReachable.class, counter(registry, "not_reachable"),
                MediaVerdict.NotAccepted.class, counter(registry, "not_accepted"));
        FunctionCounter.builder("linegate.media.cache.hits", answers, a -> a.synchronous().stats().hitCount())
                .description("Media checks answered from what the URL answered earlier, without a request")
                .register(registry);
    }

    /**
     * What a URL answered and when: it is kept from then, not from when the cache took it in (a moment later, on the
     * probe's thread), so the time it is kept is exactly the documented one, also with a clock moved by hand.
     */
    private record Kept(MediaProbe probe, long atMillis) {
        Duration keptFor(long nowMillis) {
            Duration kept = probe instanceof MediaProbe.Answered ? ANSWER_KEPT : REFUSAL_KEPT;
            return kept.minusMillis(Math.max(0, nowMillis - atMillis));
        }
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("linegate.media.checks")
                .description("Media checks before calling Meta, by outcome (cache hits included)")
                .tag("outcome", outcome).register(registry);
    }

    @Override
    public MediaVerdict check(URI url, Kind kind, LineClass channel) {
        MediaVerdict verdict = MediaRules.judge(probe(url), kind, channel);
        outcomes.get(verdict.getClass()).increment();
        return verdict;
    }

    private MediaProbe probe(URI url) {
        // keyed by the URL as given: a signed URL's query is part of what makes it fetchable
        CompletableFuture<Kept> answer = answers.get(url.toString(),
                (key, executor) -> CompletableFuture.supplyAsync(() -> new Kept(safely(url), clock.millis()), probes));
        try {
            return answer.get(timeout.plus(HAND_OVER).toMillis(), TimeUnit.MILLISECONDS).probe();
        } catch (TimeoutException e) {
            return new MediaProbe.Unreachable("the media URL gave no answer within " + timeout.toMillis()
                    + " ms (the media check's time bound)");
        } catch (ExecutionException e) {
            return new MediaProbe.Unreachable("the media URL could not be checked");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new MediaProbe.Unreachable("the media check was interrupted (Linegate is stopping)");
        }
    }

    private MediaProbe safely(URI url) {
        try {
            return prober.probe(url);
        } catch (RuntimeException e) {
            return new MediaProbe.Unreachable("the media URL could not be checked");
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
        prober.close();
    }
}
