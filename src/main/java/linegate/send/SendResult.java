package linegate.send;

/**
 * A message Meta accepted: Meta's {@code message_id} and the log row's id. {@code duplicate} is true when this answers a
 * repeated {@code msg_id} with the original attempt's result, without calling Meta again.
 */
public record SendResult(String messageId, long cdlsId, boolean duplicate) {
}
