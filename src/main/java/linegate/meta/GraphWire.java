package linegate.meta;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Meta's wire format for the Send API, package-private: nothing outside {@code meta} sees Graph JSON.
 *
 * @see <a href="https://developers.facebook.com/docs/messenger-platform/reference/send-api">Send API reference</a>
 */
final class GraphWire {
    private GraphWire() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SendBody(Recipient recipient,
                    @JsonProperty("messaging_type") String messagingType,
                    Message message,
                    String tag) {

        static SendBody of(OutboundMessage m) {
            Message message = m.kind() == OutboundMessage.Kind.TEXT
                    ? new Message(m.content(), null)
                    : new Message(null, new Attachment(m.kind().attachmentType(), new Payload(m.content())));
            return m.humanAgentTag()
                    ? new SendBody(new Recipient(m.recipientId()), "MESSAGE_TAG", message, "HUMAN_AGENT")
                    : new SendBody(new Recipient(m.recipientId()), "RESPONSE", message, null);
        }
    }

    record Recipient(String id) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Message(String text, Attachment attachment) {
    }

    record Attachment(String type, Payload payload) {
    }

    record Payload(String url) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SendAnswer(@JsonProperty("recipient_id") String recipientId, @JsonProperty("message_id") String messageId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorAnswer(ErrorBody error) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorBody(String message, String type, Integer code,
                     @JsonProperty("error_subcode") Integer errorSubcode,
                     @JsonProperty("fbtrace_id") String fbtraceId,
                     @JsonProperty("is_transient") Boolean isTransient) {
    }
}
