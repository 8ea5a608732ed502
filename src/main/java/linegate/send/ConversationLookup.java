package linegate.send;

import linegate.api.ApiException;
import linegate.api.StatusCode;
import linegate.store.Conversations;
import linegate.store.Line;
import linegate.store.Lookups;
import linegate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The window as data (docs/api.md, "The window as data"): one conversation's {@link ConversationWindow}, read from the
 * database (where every node records a customer's messages), for Conversation.php and MessageStatus. A line of
 * another account answers exactly as an unknown customer does (235), so ids reveal nothing. A database that cannot
 * answer is 503.
 */
public final class ConversationLookup {
    /** 235's status text on Conversation.php: the code is MessageStatus's "not found", the thing is a conversation. */
    static final String NOT_FOUND_TEXT = "Conversation not found";
    private static final Logger LOG = LoggerFactory.getLogger(ConversationLookup.class);

    private final Lookups lookups;
    private final Conversations conversations;

    public ConversationLookup(Lookups lookups, Conversations conversations) {
        this.lookups = lookups;
        this.conversations = conversations;
    }

    /** Conversation.php: the window of {@code dest} on the account's line, or 235. */
    public ConversationWindow window(long accountId, long lineId, String dest) {
        return windowOf(accountId, lineId, dest).orElseThrow(() -> ApiException.of(StatusCode.MESSAGE_NOT_FOUND,
                        "Linegate has not heard from " + dest + " on line " + lineId + " of this account (a customer"
                                + " is known from their first message that reached Linegate's webhook)")
                .withStatusText(NOT_FOUND_TEXT));
    }

    /** The window when the line is the account's and Linegate knows the customer; empty otherwise. */
    Optional<ConversationWindow> windowOf(long accountId, long lineId, String peerId) {
        try {
            Optional<Line> line = lookups.lineForAccount(accountId, lineId);
            if (line.isEmpty()) {
                return Optional.empty();
            }
            return conversations.lastInbound(lineId, peerId)
                    .map(at -> ConversationWindow.of(at, line.get().humanAgent()));
        } catch (StoreUnavailableException e) {
            LOG.warn("a conversation's window answered 503: {}", e.getMessage());
            throw ApiException.databaseUnavailable();
        }
    }
}
