package linegate.meta;

import java.util.Objects;

/** What became of one Send API call, in Linegate's words: the narrow interface's only answer. */
public sealed interface GraphOutcome {
    /**
     * Meta accepted the message: {@code messageId} is Meta's opaque {@code message_id}, null for a sender action
     * (a reaction, typing, seen), whose answer has none; {@code usage}, Meta's usage headers on the answer.
     */
    record Sent(String messageId, String recipientId, MetaUsage usage) implements GraphOutcome {
        public Sent {
            Objects.requireNonNull(usage);
        }
    }

    /**
     * Meta answered with an error envelope: it did not send the message, except where
     * {@link GraphError#mayHaveBeenDelivered()} says otherwise. {@code usage}: Meta's usage headers on the answer.
     */
    record Rejected(GraphError error, MetaUsage usage) implements GraphOutcome {
        public Rejected {
            Objects.requireNonNull(error);
            Objects.requireNonNull(usage);
        }
    }

    /**
     * No usable answer once the request may have reached Meta: the connection broke, a timeout, or an answer that is
     * neither a success nor an error envelope.
     * Meta may have delivered the message, so it must not be retried blindly.
     */
    record Unreachable(String cause) implements GraphOutcome {
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
    record NotSent(Reason reason, String cause, long retryAfterSeconds) implements GraphOutcome {
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
