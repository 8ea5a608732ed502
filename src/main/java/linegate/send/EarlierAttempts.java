package linegate.send;

import linegate.api.StatusCode;
import linegate.send.SendOutcome.Refused;
import linegate.store.LogOutcome;
import linegate.store.LogRow;
import linegate.store.LogState;

/**
 * The answer to a repeated msg_id, from the attempt that holds it (docs/status-codes.md, "Idempotency"): the original
 * success (Meta is not called again), 291 while that attempt is queued or waits for Meta (for a queued repeat: 207 with
 * {@code duplicate}), 280 when its delivery is unknown (sending again could deliver it twice), 292 when the msg_id was
 * first used for a different message.
 */
final class EarlierAttempts {
    private final UnrecordedOutcomes unrecorded;

    EarlierAttempts(UnrecordedOutcomes unrecorded) {
        this.unrecorded = unrecorded;
    }

    SendOutcome answer(LogRow earlier, String fingerprint, boolean async) {
        if (earlier.requestHash().isPresent() && !earlier.requestHash().get().equals(fingerprint)) {
            return Refused.of(StatusCode.MSG_ID_REUSED, "this msg_id was first used for a different message (line,"
                    + " recipient, type, tag or content differ); nothing was sent: give a new message a new msg_id")
                    .withCdlsId(earlier.id());
        }
        if (earlier.state() == LogState.ACCEPTED
                && unrecorded.find(earlier.id()).orElse(null) instanceof LogOutcome.Sent held) {
            return new SendOutcome.Duplicate(earlier.id(), held.metaMessageId()); // Meta accepted; the log is yet to say so
        }
        if (async && (earlier.state() == LogState.QUEUED || earlier.state() == LogState.ACCEPTED)) {
            return new SendOutcome.Queued(earlier.id(), true);
        }
        return switch (earlier.state()) {
            case SENT, DELIVERED, READ -> new SendOutcome.Duplicate(earlier.id(), earlier.metaMessageId().orElse(null));
            case ACCEPTED -> Refused.of(StatusCode.DUPLICATE_IN_PROGRESS, "a send with this msg_id is waiting for Meta's"
                    + " answer; ask again shortly, or look it up with MessageStatus").withCdlsId(earlier.id());
            case QUEUED -> Refused.of(StatusCode.DUPLICATE_IN_PROGRESS, "a queued send with this msg_id waits to be"
                    + " sent; its result comes as a message.status event, or look it up with MessageStatus")
                    .withCdlsId(earlier.id());
            case UNKNOWN -> Refused.of(StatusCode.META_UNREACHABLE, "the earlier send with this msg_id got no answer from"
                    + " Meta and may have been delivered; it is not sent again").withCdlsId(earlier.id());
            case FAILED -> throw new IllegalStateException("a failed attempt cannot hold a msg_id");
            case RECEIVED -> throw new IllegalStateException("an inbound row has no msg_id");
        };
    }
}
