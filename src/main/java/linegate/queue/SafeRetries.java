package linegate.queue;

import linegate.meta.GraphError;
import linegate.meta.GraphErrorClass;
import linegate.meta.GraphOutcome;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Which attempts of a queued send are tried again: only those after which no duplicate can reach the customer
 * (docs/api.md, "What is retried"; docs/meta-facts.md, "Errors: refused or unknown").
 * <ul>
 *   <li>Nothing reached Meta ({@link GraphOutcome.NotSent}: no Graph slot free, no connection): not a byte was
 *       written.</li>
 *   <li>Meta's rate limits (4, 17, 32, 613, 80001, 80002, 80006): Meta refused the call; after the time Meta gives,
 *       and at least the rate-limited back-off.</li>
 *   <li>Codes 1 and 2 (not 2/2018344, a terms-of-service refusal that stays) and any error with
 *       {@code is_transient: true}: Meta's answer that it did not send, with its advice to try later. 1/1357046 is
 *       not among them: after it the message may have been sent ({@link GraphError#mayHaveBeenDelivered()}).</li>
 * </ul>
 * Never a timeout, a broken connection or an answer without a message id ({@link GraphOutcome.Unreachable}): Meta may
 * have delivered it, so the row is {@code unknown}. Every other error is Meta's final refusal.
 */
final class SafeRetries {
    /** Meta's terms-of-service refusal under code 2: retrying does not help until the Page accepts them. */
    private static final int TOS_NOT_ACCEPTED = 2018344;

    /** An attempt to try again: why, in words a client may read, at least how long Meta asked to wait, and whether
     * Meta throttled the line. */
    record Retry(String reason, Optional<Duration> metaWait, boolean rateLimited) {
        Retry {
            Objects.requireNonNull(reason);
            Objects.requireNonNull(metaWait);
        }
    }

    private SafeRetries() {
    }

    static Optional<Retry> of(GraphOutcome outcome) {
        return switch (outcome) {
            case GraphOutcome.NotSent n -> Optional.of(new Retry(switch (n.reason()) {
                case NO_CONNECTION -> "Linegate could not connect to Meta; nothing was sent";
                case NO_SLOT -> "every Graph call slot of the node was busy; nothing was sent";
            }, Optional.of(Duration.ofSeconds(n.retryAfterSeconds())), false));
            case GraphOutcome.Rejected r -> retryable(r.error());
            case GraphOutcome.Sent s -> Optional.empty();
            case GraphOutcome.Unreachable u -> Optional.empty();
        };
    }

    private static Optional<Retry> retryable(GraphError e) {
        if (e.mayHaveBeenDelivered()) {
            return Optional.empty();
        }
        String meta = "Meta answered code " + e.code() + (e.subcode() == null ? "" : "/" + e.subcode());
        Optional<Duration> wait = e.retryAfterSeconds().map(Duration::ofSeconds);
        if (e.classify() == GraphErrorClass.RATE_LIMITED) {
            return Optional.of(new Retry(meta + " (rate limited)", wait, true));
        }
        boolean transientCode = Integer.valueOf(1).equals(e.code())
                || Integer.valueOf(2).equals(e.code()) && !Integer.valueOf(TOS_NOT_ACCEPTED).equals(e.subcode());
        if (transientCode || e.isTransient()) {
            return Optional.of(new Retry(meta + (e.isTransient() ? " (is_transient)" : " (a temporary error)"), wait,
                    false));
        }
        return Optional.empty();
    }
}
