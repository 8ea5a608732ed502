package linegate.store;

import java.util.Optional;

/**
 * One row of the message log as read back (operators' {@code log list}, MessageStatus). Times are epoch millis; {@code eventJson} is Meta's webhook event a row was logged from (inbound rows and echoes);
 * {@code attempts}, {@code nextAttemptAt} and {@code retryReason} are a queued send's (Graph calls made, when it may be
 * claimed next, why its last attempt is to be tried again), empty for a direct send; {@code options}, what an outbound
 * send carried besides its mtype and mdata (quick replies, reply_to, a comment recipient, agent), as JSON. How
 * clients see it is not the store's business: {@code send.MessageView} makes their JSON.
 */
public record LogRow(
        long id,
        long accountId,
        long lineId,
        LineClass channel,
        String direction,
        String origin,
        String peerId,
        String mtype,
        String mdata,
        Optional<String> msgId,
        Optional<String> tag,
        Optional<String> metaMessageId,
        LogState state,
        Optional<LoggedError> error,
        long createdAt,
        long updatedAt,
        Optional<Long> sentAt,
        Optional<Long> deliveredAt,
        Optional<Long> readAt,
        Optional<Long> deletedAt,
        Optional<String> requestHash,
        Optional<String> eventJson,
        Optional<Integer> attempts,
        Optional<Long> nextAttemptAt,
        Optional<String> retryReason,
        Optional<String> options) {

    /** A row that never was a queued send: no attempts are counted for it. */
    public LogRow(long id, long accountId, long lineId, LineClass channel, String direction, String origin, String peerId,
                  String mtype, String mdata, Optional<String> msgId, Optional<String> tag, Optional<String> metaMessageId,
                  LogState state, Optional<LoggedError> error, long createdAt, long updatedAt, Optional<Long> sentAt,
                  Optional<Long> deliveredAt, Optional<Long> readAt, Optional<Long> deletedAt, Optional<String> requestHash,
                  Optional<String> eventJson) {
        this(id, accountId, lineId, channel, direction, origin, peerId, mtype, mdata, msgId, tag, metaMessageId, state,
                error, createdAt, updatedAt, sentAt, deliveredAt, readAt, deletedAt, requestHash, eventJson,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Whether this row is a queued send (async=1), whatever its state now. */
    public boolean queuedSend() {
        return attempts.isPresent();
    }
}
