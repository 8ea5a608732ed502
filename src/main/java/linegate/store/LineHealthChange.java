package linegate.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A line's health changed, as {@link Lines#recordHealth} reports it to its {@link NoticeRecorder} inside the change's
 * transaction.
 *
 * @param reason   why, in Meta's words (never a token)
 * @param atMillis when the answer that showed it arrived
 */
public record LineHealthChange(long accountId, long lineId, LineClass lineClass, LineHealth previous, LineHealth health,
                               Optional<String> reason, long atMillis) {
    public LineHealthChange {
        Objects.requireNonNull(lineClass);
        Objects.requireNonNull(previous);
        Objects.requireNonNull(health);
        Objects.requireNonNull(reason);
        if (previous == health) {
            throw new IllegalArgumentException("a health change needs two different healths, got " + health + " twice");
        }
    }
}
