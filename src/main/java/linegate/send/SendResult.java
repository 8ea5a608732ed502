package linegate.send;

/** A message Meta accepted: Meta's {@code message_id} and the log row's id. */
public record SendResult(String messageId, long cdlsId) {
}
