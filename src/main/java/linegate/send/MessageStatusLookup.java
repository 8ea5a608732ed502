package linegate.send;

import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;
import linegate.store.LogRow;
import linegate.store.MessageLog;
import linegate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * MessageStatus (docs/api.md, "Looking a message up"): one message of the caller's account by {@code cdls_id}, or by {@code msg_id}
 * (its newest attempt), with its conversation's window when Linegate knows the customer. Another account's message
 * answers 235 exactly as a missing one does, so ids reveal nothing. A database that cannot answer is 503.
 */
public final class MessageStatusLookup {
    private static final Logger LOG = LoggerFactory.getLogger(MessageStatusLookup.class);
    private final MessageLog log;
    private final ConversationLookup conversations;

    /** The message, and its conversation's window now (beside it, so the message object stays the events' one). */
    public record Found(MessageView message, Optional<ConversationWindow> window) {
    }

    public MessageStatusLookup(MessageLog log, ConversationLookup conversations) {
        this.log = log;
        this.conversations = conversations;
    }

    public Found find(long accountId, Params params) {
        LogRow row = row(accountId, params);
        return new Found(MessageView.of(row), conversations.windowOf(accountId, row.lineId(), row.peerId()));
    }

    private LogRow row(long accountId, Params params) {
        if (params.present("cdls_id")) {
            String raw = params.text("cdls_id").map(String::strip).orElse("");
            if (!raw.matches("[0-9]{1,18}")) {
                throw ApiException.of(StatusCode.INVALID_CDLS_ID, "cdls_id must be the positive integer a send"
                        + " answered as cdls_id (up to 18 digits); to look a message up by your own reference, send"
                        + " msg_id instead");
            }
            long id = Long.parseLong(raw);
            return found(() -> log.findForAccount(accountId, id));
        }
        if (params.present("msg_id")) {
            String msgId = params.text("msg_id").orElseThrow(
                    () -> ApiException.of(StatusCode.MESSAGE_NOT_FOUND, "msg_id must be a string"));
            return found(() -> log.findNewestByMsgId(accountId, msgId));
        }
        throw ApiException.of(StatusCode.NO_MESSAGE_REFERENCE, "give the message's cdls_id, or the msg_id you sent it with");
    }

    private static LogRow found(Supplier<Optional<LogRow>> read) {
        Optional<LogRow> row;
        try {
            row = read.get();
        } catch (StoreUnavailableException e) {
            LOG.warn("MessageStatus answered 503: {}", e.getMessage());
            throw ApiException.databaseUnavailable();
        }
        return row.orElseThrow(() -> ApiException.of(StatusCode.MESSAGE_NOT_FOUND, "no such message on this account"));
    }
}
