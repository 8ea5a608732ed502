package linegate.health;

import linegate.meta.GraphError;
import linegate.meta.GraphErrorClass;
import linegate.meta.TokenClient;
import linegate.meta.TokenClient.RefreshAnswer;
import linegate.store.LineHealth;
import linegate.store.LineTokens;
import linegate.store.PageAccessToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps Instagram Login lines' tokens alive (docs/operations.md, "Token refresh"). Meta refreshes "a long-lived
 * access token that is at least 24 hours old but has not expired", for 60 days from then
 * (https://developers.facebook.com/documentation/instagram-platform/reference/refresh_access_token): a token is
 * refreshed once it is older than {@link #MIN_AGE} and expires within {@link #REFRESH_WITHIN}, or when its expiry is
 * not known. The new token and Meta's {@code expires_in} are stored in place of the old one, sealed.
 * <p>
 * Of several nodes, the one whose claim wins refreshes a line ({@link LineTokens#claimRefresh}); a node that dies
 * holding a claim lets it lapse after {@link #CLAIM}. A refresh never loses a token: if the new one cannot be stored,
 * the old one (still valid: it has not expired) stays, and the refresh is tried again when the claim lapses. A token
 * Meta refuses to refresh, or one past its expiry, makes the line {@code token_rejected} (a line.status event); a
 * refresh that works makes it {@code ok}. Tokens are never logged.
 */
public final class TokenRefresher implements Runnable {
    static final Duration MIN_AGE = Duration.ofHours(24);
    static final Duration REFRESH_WITHIN = Duration.ofDays(10);
    /** Longer than a refresh can take (one call, one transaction); what a dead node's claim costs. */
    static final Duration CLAIM = Duration.ofMinutes(10);
    /** How long a line waits after a failed refresh; at most a few tries a day for a token that is gone. */
    static final Duration RETRY_AFTER = Duration.ofHours(1);
    /** How often due tokens are looked for: well inside the 24-hour and 10-day margins. */
    public static final Duration EVERY = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(TokenRefresher.class);

    private final LineTokens tokens;
    private final TokenClient meta;
    private final LineHealthTracker health;
    private final Clock clock;

    public TokenRefresher(LineTokens tokens, TokenClient meta, LineHealthTracker health, Clock clock) {
        this.tokens = tokens;
        this.meta = meta;
        this.health = health;
        this.clock = clock;
    }

    /** One round: every due token. Never throws (a scheduled task that throws is never run again). */
    @Override
    public void run() {
        try {
            long now = clock.millis();
            for (LineTokens.HeldToken due : tokens.dueForRefresh(now, now - MIN_AGE.toMillis(),
                    now + REFRESH_WITHIN.toMillis())) {
                refreshClaimed(due, now);
            }
        } catch (RuntimeException e) {
            LOG.warn("refreshing Instagram Login tokens failed ({}); tried again in {} minutes", e.getMessage(),
                    EVERY.toMinutes());
        }
    }

    private void refreshClaimed(LineTokens.HeldToken due, long now) {
        long line = due.lineId();
        if (!tokens.claimRefresh(line, now, now + CLAIM.toMillis())) {
            return; // another node refreshes it
        }
        if (due.expiresAtMillis().isPresent() && due.expiresAtMillis().get() <= now) {
            String reason = "the Instagram User token expired at " + Instant.ofEpochMilli(due.expiresAtMillis().get())
                    + " and Meta refreshes only unexpired tokens: give the line a new one with 'linegate line update "
                    + line + " --page-token TOKEN'";
            tokens.refreshFailed(line, now + RETRY_AFTER.toMillis(), reason);
            health.report(line, LineHealth.TOKEN_REJECTED, Optional.of(reason));
            return;
        }
        switch (meta.refresh(due.token().reveal())) {
            case RefreshAnswer.Refreshed refreshed -> store(due, refreshed, now);
            case RefreshAnswer.Refused refused -> refused(due, refused.error(), now);
            case RefreshAnswer.NoAnswer none -> {
                tokens.refreshFailed(line, now + RETRY_AFTER.toMillis(), "no answer: " + none.cause());
                LOG.warn("line {}: Meta did not answer the token refresh ({}); the token stays and is refreshed again"
                        + " within {} minutes", line, none.cause(), RETRY_AFTER.toMinutes());
            }
        }
    }

    private void store(LineTokens.HeldToken due, RefreshAnswer.Refreshed refreshed, long now) {
        long expiresAt = now + Duration.ofSeconds(refreshed.expiresInSeconds()).toMillis();
        boolean stored;
        try {
            stored = tokens.storeRefreshed(due, new PageAccessToken(refreshed.accessToken()), now, expiresAt);
        } catch (RuntimeException e) {
            LOG.warn("line {}: the refreshed Instagram token could not be stored ({}); the old token stays in use and"
                    + " the refresh is tried again within {} minutes", due.lineId(), e.getMessage(), CLAIM.toMinutes());
            return;
        }
        if (!stored) {
            LOG.info("line {}: its token was replaced while it was being refreshed; the operator's token stays",
                    due.lineId());
            return;
        }
        LOG.info("line {}: Instagram token refreshed; it now expires at {}", due.lineId(), Instant.ofEpochMilli(expiresAt));
        health.report(due.lineId(), LineHealth.OK, Optional.empty());
    }

    /**
     * A rate limit or an error Meta calls transient says nothing of the token: tried again later. Any other refusal
     * (190: expired, revoked, a password change; a token younger than 24 hours) means the token cannot be kept alive.
     */
    private void refused(LineTokens.HeldToken due, GraphError error, long now) {
        String reason = HealthSignals.reason(error);
        tokens.refreshFailed(due.lineId(), now + RETRY_AFTER.toMillis(), reason);
        boolean passing = error.isTransient() || error.classify() == GraphErrorClass.RATE_LIMITED
                || Integer.valueOf(1).equals(error.code()) || Integer.valueOf(2).equals(error.code());
        if (passing) {
            LOG.warn("line {}: Meta put the token refresh off ({}); tried again within {} minutes", due.lineId(), reason,
                    RETRY_AFTER.toMinutes());
            return;
        }
        health.report(due.lineId(), LineHealth.TOKEN_REJECTED, Optional.of("token refresh refused: " + reason));
    }
}
