package linegate.send;

import linegate.api.MetaErrorView;
import linegate.api.StatusCode;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What became of one send, as data: the pipeline's only answer. The HTTP layer turns it into the envelope in one place;
 * a queue worker will turn it into a {@code message.status} event. Every outcome after a row was written carries the
 * row's {@code cdls_id}.
 */
public sealed interface SendOutcome {
    /** The status code a client sees for this outcome (docs/api.md). */
    StatusCode code();

    /** A success with the conversation's window added, when there is one; any other outcome as it is. */
    default SendOutcome withWindow(Optional<ConversationWindow> window) {
        return switch (this) {
            case Sent s when window.isPresent() -> new Sent(s.cdlsId(), s.messageId(), window);
            case Duplicate d when window.isPresent() -> new Duplicate(d.cdlsId(), d.messageId(), window);
            default -> this;
        };
    }

    /**
     * Meta accepted the message; {@code messageId} is null for a reaction (Meta's answer has none); {@code window} is
     * the conversation's, when Linegate knows the customer.
     */
    record Sent(long cdlsId, String messageId, Optional<ConversationWindow> window) implements SendOutcome {
        public Sent {
            Objects.requireNonNull(window);
        }

        public Sent(long cdlsId, String messageId) {
            this(cdlsId, messageId, Optional.empty());
        }

        @Override
        public StatusCode code() {
            return StatusCode.OK;
        }
    }

    /**
     * A queued send (async=1) was stored, durably, for a worker to send; its result comes as a {@code message.status}
     * event. {@code duplicate}: a repeated {@code msg_id} whose earlier attempt is still queued or in flight.
     */
    record Queued(long cdlsId, boolean duplicate) implements SendOutcome {
        @Override
        public StatusCode code() {
            return StatusCode.QUEUED;
        }
    }

    /**
     * A repeated {@code msg_id} whose first attempt Meta accepted: that attempt's answer; Meta is not called again.
     * {@code messageId} null for a reaction. {@code window} is the conversation's now, when Linegate knows the
     * customer.
     */
    record Duplicate(long cdlsId, String messageId, Optional<ConversationWindow> window) implements SendOutcome {
        public Duplicate {
            Objects.requireNonNull(window);
        }

        public Duplicate(long cdlsId, String messageId) {
            this(cdlsId, messageId, Optional.empty());
        }

        @Override
        public StatusCode code() {
            return StatusCode.OK;
        }
    }

    /**
     * Linegate refused without calling Meta: the line (230, 233, 234, 500 for an unreadable token), the window (240),
     * the line's budget (260), the media check (244, 245), an earlier attempt with this {@code msg_id} (280, 291,
     * 292), or the database (503).
     * {@code cdlsId} is the refused row's, or the earlier attempt's, when there is one; {@code statusText} is the
     * code's own text unless a channel words it differently (230).
     */
    record Refused(StatusCode code, String statusText, String detail, OptionalLong cdlsId,
                   OptionalLong retryAfterSeconds) implements SendOutcome {
        public Refused {
            Objects.requireNonNull(code);
            Objects.requireNonNull(statusText);
            Objects.requireNonNull(detail);
            Objects.requireNonNull(cdlsId);
            Objects.requireNonNull(retryAfterSeconds);
            if (code == StatusCode.OK) {
                throw new IllegalArgumentException("a refusal is not 200");
            }
        }

        static Refused of(StatusCode code, String detail) {
            return new Refused(code, code.status(), detail, OptionalLong.empty(), OptionalLong.empty());
        }

        Refused withStatusText(String text) {
            return new Refused(code, text, detail, cdlsId, retryAfterSeconds);
        }

        Refused withCdlsId(long id) {
            return new Refused(code, statusText, detail, OptionalLong.of(id), retryAfterSeconds);
        }

        Refused withRetryAfter(long seconds) {
            return new Refused(code, statusText, detail, cdlsId, OptionalLong.of(seconds));
        }
    }

    /** Meta refused the message (240 to 270): its error as the client sees it, and how long Meta asked to wait. */
    record MetaRefused(long cdlsId, StatusCode code, MetaErrorView error, OptionalLong retryAfterSeconds)
            implements SendOutcome {
        public MetaRefused {
            Objects.requireNonNull(code);
            Objects.requireNonNull(error);
            Objects.requireNonNull(retryAfterSeconds);
        }
    }

    /**
     * Delivery unknown (280): no usable answer once the request may have reached Meta, or Meta's error after which it
     * may have sent anyway. Never retried: sending again could reach the customer twice.
     */
    record Unknown(long cdlsId, String detail, Optional<MetaErrorView> error) implements SendOutcome {
        public Unknown {
            Objects.requireNonNull(detail);
            Objects.requireNonNull(error);
        }

        @Override
        public StatusCode code() {
            return StatusCode.META_UNREACHABLE;
        }
    }

    /** Nothing reached Meta (no Graph slot, no connection): the row failed, and sending again is safe after the wait. */
    record NotSent(long cdlsId, String detail, long retryAfterSeconds) implements SendOutcome {
        public NotSent {
            Objects.requireNonNull(detail);
        }

        @Override
        public StatusCode code() {
            return StatusCode.SERVICE_UNAVAILABLE;
        }
    }
}
