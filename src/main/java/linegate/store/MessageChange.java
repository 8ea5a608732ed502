package linegate.store;

import java.util.Objects;

/**
 * One change a write made to one {@code message_log} row, as {@link MessageLog} reports it and hands it to its
 * {@link ChangeRecorder} inside the write's transaction. The conversation is the line and the peer (the customer's id,
 * in both directions).
 *
 * @param cdlsId    the row's id (the client's {@code cdls_id})
 * @param atMillis  when it happened: by Meta's clock for webhook events (the event's timestamp), by ours for sends,
 *                  their outcomes and the sweeps
 */
public record MessageChange(long cdlsId, long accountId, long lineId, String peerId, Kind kind, long atMillis) {
    public MessageChange {
        Objects.requireNonNull(peerId);
        Objects.requireNonNull(kind);
    }

    /** What happened to the row. */
    public enum Kind {
        /** An outbound row was written before the Graph call. */
        ACCEPTED,
        /** A queued send (async=1) was written, for a queue worker to send. */
        QUEUED,
        /** Meta took an outbound message (its answer, or an echo proving a send whose answer was lost). */
        SENT,
        /** An outbound message was refused: locally (written failed) or by Meta. */
        FAILED,
        /** No answer from Meta, or a send abandoned before its answer was recorded: it may have been delivered. */
        UNKNOWN,
        /** Meta's delivery receipt was recorded on the row (it moved sent -> delivered, or a read row got its time). */
        DELIVERED,
        /** Meta's read receipt moved the row to read. */
        READ,
        /** A customer's message, postback, reaction, story reply or referral was logged (direction in). */
        RECEIVED,
        /** A message sent on the line from Meta's own apps, not through Linegate, was logged. */
        ECHO,
        /** A customer's later edit replaced an inbound row's text. */
        EDITED,
        /** A customer deleted an inbound message; the row stays and records when. */
        DELETED
    }
}
