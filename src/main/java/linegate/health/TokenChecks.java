package linegate.health;

import linegate.meta.GraphEndpoint;
import linegate.meta.TokenClient;
import linegate.store.LineLogin;
import linegate.store.LineTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The periodic token check (contract §11, docs/operations.md "Line health"): every active line's token is shown to
 * Meta ({@code GET /{version}/me?fields=id}, on graph.facebook.com for Page tokens and graph.instagram.com for Instagram
 * User tokens), so that a dead token is found before a customer's send finds it. The answer goes through
 * {@link HealthSignals}: the owner's id makes the line {@code ok}, 190 and the other re-authorisation errors
 * {@code token_rejected}, no answer changes nothing.
 * <p>
 * A round takes the lines no check claimed within nine tenths of the interval, least recently checked first, and
 * checks each one whose claim this node wins ({@link LineTokens#claimCheck}), so several nodes share the lines instead
 * of each checking all of them. At most {@link #CONCURRENCY} checks are in flight, each bounded by the Graph timeout;
 * a round starts no check after {@link #ROUND_LIMIT} (or the interval, if shorter), and lines it did not reach are the
 * first of the next round.
 */
public final class TokenChecks implements AutoCloseable {
    public static final int CONCURRENCY = 4;
    static final Duration ROUND_LIMIT = Duration.ofMinutes(10);
    /** At start-up, lines checked this recently (by another node, or before a restart) are not checked again. */
    static final Duration STARTUP_FRESH = Duration.ofMinutes(5);
    static final int MAX_LINES_A_ROUND = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(TokenChecks.class);

    private final LineTokens tokens;
    private final TokenClient meta;
    private final LineHealthTracker health;
    private final Clock clock;
    private final Duration every;
    private final ExecutorService checkers;

    /** @param every the interval between two checks of a line ({@code LINEGATE_TOKEN_CHECK_MINUTES}), positive */
    public TokenChecks(LineTokens tokens, TokenClient meta, LineHealthTracker health, Clock clock, Duration every) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the token check interval must be positive");
        }
        this.tokens = tokens;
        this.meta = meta;
        this.health = health;
        this.clock = clock;
        this.every = every;
        this.checkers = Executors.newFixedThreadPool(CONCURRENCY,
                Thread.ofPlatform().name("linegate-token-check-", 1).daemon().factory());
    }

    /** The round run at start-up: every line not checked within {@link #STARTUP_FRESH} (or the interval). */
    public void startupRound() {
        round(min(STARTUP_FRESH, every));
    }

    /** A periodic round: every line not checked within nine tenths of the interval. */
    public void periodicRound() {
        round(every.multipliedBy(9).dividedBy(10));
    }

    /** Never throws (a scheduled task that throws is never run again). */
    private void round(Duration fresh) {
        long started = System.nanoTime();
        long limitNanos = min(ROUND_LIMIT, every).toNanos();
        try {
            long notCheckedSince = clock.millis() - fresh.toMillis();
            List<LineTokens.HeldToken> due = tokens.dueForCheck(notCheckedSince, MAX_LINES_A_ROUND);
            List<Future<?>> checks = new ArrayList<>(due.size());
            for (LineTokens.HeldToken line : due) {
                checks.add(checkers.submit(() -> {
                    if (System.nanoTime() - started < limitNanos) {
                        check(line, notCheckedSince);
                    }
                }));
            }
            for (Future<?> check : checks) {
                long left = limitNanos - (System.nanoTime() - started);
                if (left <= 0) {
                    break; // the rest see the limit themselves and start nothing
                }
                check.get(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("the token check round ended early ({}); the lines it did not reach come first in the next one",
                    e.getMessage());
        }
    }

    private void check(LineTokens.HeldToken line, long notCheckedSince) {
        try {
            if (!tokens.claimCheck(line.lineId(), clock.millis(), notCheckedSince)) {
                return; // another node checks it this round
            }
            TokenClient.CheckAnswer answer = meta.check(host(line.login()), line.token().reveal());
            if (answer instanceof TokenClient.CheckAnswer.NoAnswer none) {
                LOG.info("line {}: its token check had no answer ({}); its health stays as it is", line.lineId(),
                        none.cause());
            }
            health.observe(line.lineId(), answer);
        } catch (RuntimeException e) {
            LOG.warn("line {}: its token could not be checked ({})", line.lineId(), e.getMessage());
        }
    }

    /** The host that granted the token is the one that knows it. */
    static GraphEndpoint.Host host(LineLogin login) {
        return switch (login) {
            case FACEBOOK -> GraphEndpoint.Host.FACEBOOK;
            case INSTAGRAM -> GraphEndpoint.Host.INSTAGRAM;
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        checkers.shutdownNow();
    }
}
