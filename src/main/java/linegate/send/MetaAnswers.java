package linegate.send;

import linegate.api.StatusCode;
import linegate.meta.GraphError;
import linegate.meta.GraphOutcome;
import linegate.store.LogOutcome;
import linegate.store.LoggedError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Meta's answer to one call, as what the log records and what the client is told (docs/api.md, "Meta's errors: refused
 * or unknown"): sent; refused with Meta's classified error; unknown when Meta may have delivered it; not sent when
 * nothing reached Meta.
 */
final class MetaAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(MetaAnswers.class);

    /** The row's final state, and the send's outcome. */
    record Answer(LogOutcome logged, SendOutcome outcome) {
    }

    private MetaAnswers() {
    }

    static Answer of(long cdlsId, long lineId, GraphOutcome graph, long nowMillis) {
        return switch (graph) {
            case GraphOutcome.Sent sent -> new Answer(new LogOutcome.Sent(sent.messageId(), nowMillis),
                    new SendOutcome.Sent(cdlsId, sent.messageId()));
            case GraphOutcome.Rejected rejected when rejected.error().mayHaveBeenDelivered() -> {
                GraphError error = rejected.error();
                LOG.warn("cdls_id={} line={}: Meta failed the send (code={} subcode={} http={} fbtrace_id={}); it may have"
                        + " been delivered: state unknown, not retried", cdlsId, lineId, error.code(), error.subcode(),
                        error.httpStatus(), error.fbtraceId());
                yield new Answer(new LogOutcome.Unknown(MetaErrors.logged(StatusCode.META_UNREACHABLE, error), nowMillis),
                        new SendOutcome.Unknown(cdlsId, "Meta answered with an error after which the message may have"
                                + " been delivered: check its state before sending again", Optional.of(MetaErrors.view(error))));
            }
            case GraphOutcome.Rejected rejected -> {
                GraphError error = rejected.error();
                StatusCode status = MetaErrors.statusOf(error);
                OptionalLong retryAfter = status == StatusCode.RATE_LIMITED
                        ? OptionalLong.of(error.retryAfterSeconds().orElse(MetaErrors.DEFAULT_RETRY_AFTER_SECONDS))
                        : OptionalLong.empty();
                yield new Answer(new LogOutcome.Failed(MetaErrors.logged(status, error), nowMillis),
                        new SendOutcome.MetaRefused(cdlsId, status, MetaErrors.view(error), retryAfter));
            }
            case GraphOutcome.Unreachable unreachable -> {
                LOG.warn("cdls_id={} line={}: {}; state unknown, not retried", cdlsId, lineId, unreachable.cause());
                yield new Answer(new LogOutcome.Unknown(LoggedError.local(StatusCode.META_UNREACHABLE.code(),
                        StatusCode.META_UNREACHABLE.status(), unreachable.cause()), nowMillis),
                        new SendOutcome.Unknown(cdlsId, "no answer from Meta; the message may have been delivered: check"
                                + " its state before sending again", Optional.empty()));
            }
            case GraphOutcome.NotSent notSent -> {
                // nothing reached Meta: the row fails, which frees its msg_id, and the same send may simply be retried
                LOG.warn("cdls_id={} line={}: not sent: {}", cdlsId, lineId, notSent.cause());
                yield new Answer(new LogOutcome.Failed(LoggedError.local(StatusCode.SERVICE_UNAVAILABLE.code(),
                        StatusCode.SERVICE_UNAVAILABLE.status(), notSent.cause()), nowMillis),
                        new SendOutcome.NotSent(cdlsId, notSentDetail(notSent), notSent.retryAfterSeconds()));
            }
        };
    }

    /** Why nothing was sent, in the client's words; never the node's configuration or Meta's address. */
    private static String notSentDetail(GraphOutcome.NotSent notSent) {
        return switch (notSent.reason()) {
            case NO_CONNECTION -> "Linegate could not connect to Meta; nothing was sent: retry, with the same msg_id if"
                    + " you gave one";
            case NO_SLOT -> "too many sends are waiting for Meta on this node; nothing was sent: retry, with the same"
                    + " msg_id if you gave one";
        };
    }
}
