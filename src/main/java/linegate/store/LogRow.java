package linegate.store;

import java.util.Optional;

/**
 * One row of the message log as read back (operators' {@code log list}, MessageStatus). Times are epoch millis; {@code eventJson} is Meta's webhook event a row was logged from (inbound rows and echoes). How
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
        Optional<String> eventJson) {
}
