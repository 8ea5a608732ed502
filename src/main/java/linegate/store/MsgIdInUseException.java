package linegate.store;

/**
 * An outbound row was refused because the account already has an attempt with this {@code msg_id} that did not fail
 * (the {@code message_log_live_msg_id} unique index). The caller looks up that attempt to decide what to answer.
 */
public final class MsgIdInUseException extends RuntimeException {
    public MsgIdInUseException(long accountId, String msgId) {
        super("account " + accountId + " already has a live attempt with msg_id '" + msgId + "'", null, false, false);
    }
}
