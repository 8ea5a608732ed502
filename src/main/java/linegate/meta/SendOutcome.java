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
     * No usable answer: connection refused, timeout, or an answer that is neither a success nor an error envelope.
     * Meta may have delivered the message, so it must not be retried blindly.
     */
    record Unreachable(String cause) implements SendOutcome {
        public Unreachable {
            Objects.requireNonNull(cause);
        }
    }

    /**
     * Linegate did not call Meta: no slot to call it came free within the Graph timeout (the node already had its
     * maximum of calls in flight), or the wait was interrupted. Nothing reached Meta, so sending again is safe.
     */
    record NotSent(String cause) implements SendOutcome {
        public NotSent {
            Objects.requireNonNull(cause);
        }
    }
}
