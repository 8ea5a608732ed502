package linegate.store;

import java.util.List;

/**
 * Every write the send pipeline makes to the message log. Both calls return only once the write is durable (committed),
 * so a response is never sent for a row that a crash could take back. A batching implementation may group many
 * callers' writes into one transaction, but must keep that promise and the order of one row's writes. Both report the
 * change they made, which {@link MessageLog}'s {@link ChangeRecorder} saw in the same transaction.
 */
public interface MessageLogWriter {
    /**
     * Writes a new outbound row and returns its change: {@link MessageChange.Kind#ACCEPTED}, or
     * {@link MessageChange.Kind#FAILED} for an entry refused locally; its {@code cdlsId} is the client's {@code cdls_id}.
     *
     * @throws MsgIdInUseException when the entry has a {@code msg_id} that a live (not failed) attempt of the same
     *                             account already holds; nothing is written
     */
    MessageChange append(NewLogEntry entry);

    /** Moves an {@code accepted} row to its final state. A row already final is left as it is: no change. */
    List<MessageChange> finish(long id, LogOutcome outcome);
}
