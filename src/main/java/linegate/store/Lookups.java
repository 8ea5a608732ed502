package linegate.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The send path's token and line look-ups, answered from memory. Without this, every request read both from the
 * database through the shared pool (and opened the line's sealed page token with AES-GCM).
 * <p>
 * How a change reaches the cache:
 * <ul>
 *   <li>Made through this process's {@link Tokens} or {@link Lines}: at once (they advance the {@link LookupEpoch}).</li>
 *   <li>Made anywhere else (another node, an operator command, SQL by hand): the database's triggers move
 *       {@code lookup_generation}; {@link #refresh()}, run every {@code refreshInterval}, sees it move and drops
 *       everything cached.</li>
 *   <li>A cached value is used only while the last poll that succeeded <em>started</em> less than
 *       {@link #STALE_AFTER_INTERVALS} intervals ago; otherwise (the database is unreachable, polls are slow or stopped)
 *       look-ups go to the database. So a change takes effect everywhere within one interval normally, and never later
 *       than three, whatever happens to the poller.</li>
 * </ul>
 * Only what exists is cached: an unknown token or a line of another account is asked of the database every time, so a
 * new token or line needs no invalidation. Until the first successful poll nothing is cached (operator commands, which
 * never poll, always read the database).
 */
public final class Lookups {
    private static final Logger LOG = LoggerFactory.getLogger(Lookups.class);
    /** Entries kept per cache; the least used go first. */
    static final int MAX_ENTRIES = 100_000;
    static final int STALE_AFTER_INTERVALS = 3;
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private record Cached<T>(T value, long epoch) {
    }

    private record LineKey(long accountId, long lineId) {
    }

    private final Tokens tokens;
    private final Lines lines;
    private final LookupEpoch epoch;
    private final LongSupplier generation;
    private final Clock clock;
    private final long staleAfterMillis;
    private final Cache<String, Cached<Long>> accountsByTokenHash = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();
    private final Cache<LineKey, Cached<Line>> linesById = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();
    private long seenGeneration = Long.MIN_VALUE;
    /** When the last successful poll started; -1 before the first. */
    private volatile long lastPollStartMillis = -1;
    private long lastWarnMillis = Long.MIN_VALUE / 2;

    public Lookups(Database db, Tokens tokens, Lines lines, LookupEpoch epoch, Clock clock, Duration refreshInterval) {
        this(tokens, lines, epoch, () -> currentGeneration(db), clock, refreshInterval);
    }

    /** {@code generation} reads the database's change counter; it may throw when the database is unreachable. */
    Lookups(Tokens tokens, Lines lines, LookupEpoch epoch, LongSupplier generation, Clock clock, Duration refreshInterval) {
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refreshInterval must be positive");
        }
        this.tokens = tokens;
        this.lines = lines;
        this.epoch = epoch;
        this.generation = generation;
        this.clock = clock;
        this.staleAfterMillis = refreshInterval.toMillis() * STALE_AFTER_INTERVALS;
    }

    private static long currentGeneration(Database db) {
        return db.call(h -> h.createQuery("SELECT generation FROM lookup_generation WHERE id = 1").mapTo(Long.class).one());
    }

    /** The account a live token belongs to (see {@link Tokens#accountOf}); a use of the token is noted. */
    public Optional<Long> accountOf(String tsid) {
        ApiTokenHash hash = ApiTokenHash.of(tsid);
        Optional<Long> account = cached(accountsByTokenHash, hash.hex(), () -> tokens.accountOf(hash));
        account.ifPresent(a -> tokens.noteUse(hash));
        return account;
    }

    /** The line with this id if it belongs to this account (see {@link Lines#findForAccount}). */
    public Optional<Line> lineForAccount(long accountId, long lineId) {
        return cached(linesById, new LineKey(accountId, lineId), () -> lines.findForAccount(accountId, lineId));
    }

    /** From memory when trusted and loaded in the current epoch; otherwise loaded, and kept if it exists. */
    private <K, V> Optional<V> cached(Cache<K, Cached<V>> cache, K key, Supplier<Optional<V>> load) {
        if (!trusted()) {
            return load.get();
        }
        // the epoch is read before the database: if a change lands during the read, the entry is born stale
        long loadedIn = epoch.current();
        Cached<V> hit = cache.getIfPresent(key);
        if (hit != null && hit.epoch() == loadedIn) {
            return Optional.of(hit.value());
        }
        Optional<V> loaded = load.get();
        loaded.ifPresent(v -> cache.put(key, new Cached<>(v, loadedIn)));
        return loaded;
    }

    /**
     * Reads the database's change counter and drops every cached look-up if it moved. Never throws: a failed poll
     * leaves the cache to expire by {@link #STALE_AFTER_INTERVALS}. Called by one thread at a time.
     */
    public synchronized void refresh() {
        long started = clock.millis();
        long current;
        try {
            current = generation.getAsLong();
        } catch (RuntimeException e) {
            if (started - lastWarnMillis >= WARN_EVERY.toMillis()) {
                lastWarnMillis = started;
                LOG.warn("cannot read lookup_generation ({}); tokens and lines are read from the database until it"
                        + " can be read again", e.getMessage());
            }
            return;
        }
        if (current != seenGeneration) {
            seenGeneration = current;
            epoch.advance();
            accountsByTokenHash.invalidateAll();
            linesById.invalidateAll();
        }
        lastPollStartMillis = started;
    }

    private boolean trusted() {
        long polled = lastPollStartMillis;
        return polled >= 0 && clock.millis() - polled < staleAfterMillis;
    }
}
