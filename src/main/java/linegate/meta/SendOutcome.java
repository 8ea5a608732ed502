package linegate.meta;

import java.util.Objects;

/** What became of one Send API call. */
public sealed interface SendOutcome {
    /** Meta accepted the message: {@code messageId} is Meta's opaque {@code message_id}. */
    record Sent(String messageId, String recipientId) implements SendOutcome {
        public Sent {
            Objects.requireNonNull(messageId);
        }
    }

    /** Meta answered with an error: the message was not sent. */
    record Rejected(GraphError error) implements SendOutcome {
        public Rejected {
            Objects.requireNonNull(error);
        }
    }

    /**
     * No usable answer once the request may have reached Meta: the connection broke, a timeout, or an answer that is
     * neither a success nor an error envelope.
     * Meta may have delivered the message, so it must not be retried blindly.
     */
    record Unreachable(String cause) implements SendOutcome {
        public Unreachable {
            Objects.requireNonNull(cause);
        }
    }

    /**
     * Nothing reached Meta: no slot to call it came free within the Graph timeout (the node already had its maximum of
     * calls in flight), the wait was interrupted, or no connection to Meta could be made (refused, unresolvable host,
     * connect timeout), so not a byte of the request was written. Sending again is safe, after
     * {@code retryAfterSeconds}.
     */
    record NotSent(Reason reason, String cause, long retryAfterSeconds) implements SendOutcome {
        /** Why Meta was not reached. */
        public enum Reason { NO_SLOT, NO_CONNECTION }

        public NotSent {
            Objects.requireNonNull(reason);
            Objects.requireNonNull(cause);
            if (retryAfterSeconds < 1) {
                throw new IllegalArgumentException("retryAfterSeconds must be at least 1");
            }
        }
    }
}
