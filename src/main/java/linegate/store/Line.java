package linegate.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A line as the send pipeline and the operator see it. {@code pageTokenUnreadable} is true when a token is stored but
 * cannot be opened with the configured master key (then {@code pageToken} is empty). The page access token is decrypted on read and stays wrapped in
 * {@link PageAccessToken}, so printing a line never prints its token. {@code health} is what Meta's last telling
 * answer showed ({@link Lines#recordHealth}), with Meta's reason.
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
        LineHealth health,
        Optional<String> healthReason,
        long createdAtMillis,
        long updatedAtMillis) {

    public Line {
        Objects.requireNonNull(lineClass);
        Objects.requireNonNull(pageId);
        Objects.requireNonNull(igAccountId);
        Objects.requireNonNull(pageToken);
        Objects.requireNonNull(health);
        Objects.requireNonNull(healthReason);
    }
}
