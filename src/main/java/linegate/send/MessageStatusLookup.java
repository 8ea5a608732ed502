package linegate.send;

import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;
import linegate.store.LogRow;
import linegate.store.MessageLog;

import java.util.Optional;

/**
 * MessageStatus (contract section 3a): one message of the caller's account by {@code cdls_id}, or by {@code msg_id}
 * (its newest attempt). Another account's message answers 235 exactly as a missing one does, so ids reveal nothing.
 */
public final class MessageStatusLookup {
    private final MessageLog log;

    public MessageStatusLookup(MessageLog log) {
        this.log = log;
    }

    public LogRow find(long accountId, Params params) {
        if (params.present("cdls_id")) {
            String raw = params.text("cdls_id").map(String::strip).orElse("");
            if (!raw.matches("[0-9]{1,18}")) {
                throw ApiException.of(StatusCode.MESSAGE_NOT_FOUND, "cdls_id must be a positive integer");
            }
            return found(log.findForAccount(accountId, Long.parseLong(raw)));
        }
        if (params.present("msg_id")) {
            String msgId = params.text("msg_id").orElseThrow(
                    () -> ApiException.of(StatusCode.MESSAGE_NOT_FOUND, "msg_id must be a string"));
            return found(log.findNewestByMsgId(accountId, msgId));
        }
        throw ApiException.of(StatusCode.NO_MESSAGE_REFERENCE, "give the message's cdls_id, or the msg_id you sent it with");
    }

    private static LogRow found(Optional<LogRow> row) {
        return row.orElseThrow(() -> ApiException.of(StatusCode.MESSAGE_NOT_FOUND, "no such message on this account"));
    }
}
