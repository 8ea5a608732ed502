package linegate.store;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A line as the send pipeline and the operator see it. {@code pageTokenUnreadable} is true when a token is stored but
 * cannot be opened with the configured master key (then {@code pageToken} is empty). The page access token is decrypted on read and stays wrapped in
 * {@link PageAccessToken}, so printing a line never prints its token. {@code health} is what Meta's last telling
 * answer showed ({@link Lines#recordHealth}), with Meta's reason. {@code login} says how the token was granted;
 * {@code tokenIssuedAtMillis} is when the current token was set or refreshed, {@code tokenExpiresAtMillis} when Meta
 * said it expires (empty: not known).
 */
public record Line(
        long id,
        long accountId,
        LineClass lineClass,
        boolean active,
        Optional<String> pageId,
        Optional<String> igAccountId,
        Optional<PageAccessToken> pageToken,
        boolean pageTokenUnreadable,
        boolean humanAgent,
        OptionalInt sendsPerSecond,
        LineHealth health,
        Optional<String> healthReason,
        long createdAtMillis,
        long updatedAtMillis,
        LineLogin login,
        Optional<Long> tokenIssuedAtMillis,
        Optional<Long> tokenExpiresAtMillis) {

    public Line {
        Objects.requireNonNull(lineClass);
        Objects.requireNonNull(pageId);
        Objects.requireNonNull(igAccountId);
        Objects.requireNonNull(pageToken);
        Objects.requireNonNull(sendsPerSecond);
        if (sendsPerSecond.isPresent() && sendsPerSecond.getAsInt() < 1) {
            throw new IllegalArgumentException("a line's sends per second are at least 1");
        }
        Objects.requireNonNull(health);
        Objects.requireNonNull(healthReason);
        Objects.requireNonNull(login);
        Objects.requireNonNull(tokenIssuedAtMillis);
        Objects.requireNonNull(tokenExpiresAtMillis);
    }
}
