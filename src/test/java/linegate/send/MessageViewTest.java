package linegate.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.store.LineClass;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.store.LoggedError;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The message JSON of MessageStatus and {@code log list} (docs/api.md), written out in full: field order, nulls,
 * ISO-8601 UTC timestamps, and the error object with Meta's error or Linegate's own detail.
 */
class MessageViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_795_601_730_123L; // 2026-11-25T10:15:30.123Z

    private static LogRow row(LogState state, Optional<String> metaId, Optional<LoggedError> error, Optional<Long> sentAt) {
        return new LogRow(9876547, 7, 1234, LineClass.INSTAGRAM, "out", "api", "1254477777772919", "text",
                "Thanks for reaching out!", Optional.of("crm-42"), Optional.empty(), metaId, state, error, T0, T0 + 500,
                sentAt, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("ab12"), Optional.empty());
    }

    @Test
    void aSentMessageHasEveryFieldInTheDocumentedOrder() throws Exception {
        MessageView view = MessageView.of(row(LogState.SENT, Optional.of("aWdfZAG1"), Optional.empty(), Optional.of(T0 + 289)));

        assertThat(JSON.writeValueAsString(view.fields())).isEqualTo("{\"cdls_id\":9876547,\"msg_id\":\"crm-42\","
                + "\"account_id\":7,\"app_id\":1234,\"channel\":\"instagram\",\"direction\":\"out\",\"origin\":\"api\","
                + "\"dest\":\"1254477777772919\",\"mtype\":\"text\",\"mdata\":\"Thanks for reaching out!\",\"tag\":null,"
                + "\"state\":\"sent\",\"messageId\":\"aWdfZAG1\",\"error\":null,\"created_at\":\"2026-11-25T10:15:30.123Z\","
                + "\"sent_at\":\"2026-11-25T10:15:30.412Z\",\"delivered_at\":null,\"read_at\":null,\"deleted_at\":null}");
    }

    @Test
    void aFailedMessageCarriesMetasErrorOrLinegatesDetail() throws Exception {
        LoggedError meta = new LoggedError(240, "Outside messaging window", null, 10, 2534022, "OAuthException",
                "This message is sent outside of allowed window.", "AbCdEfGhIjK");
        LoggedError local = LoggedError.local(240, "Outside messaging window", "the customer's last message is older");

        assertThat(JSON.writeValueAsString(MessageView.of(row(LogState.FAILED, Optional.empty(), Optional.of(meta),
                Optional.empty())).fields().get("error"))).isEqualTo("{\"status_code\":240,"
                + "\"status\":\"Outside messaging window\",\"meta_error\":{\"code\":10,\"subcode\":2534022,"
                + "\"type\":\"OAuthException\",\"message\":\"This message is sent outside of allowed window.\","
                + "\"fbtrace_id\":\"AbCdEfGhIjK\"}}");
        assertThat(JSON.writeValueAsString(MessageView.of(row(LogState.FAILED, Optional.empty(), Optional.of(local),
                Optional.empty())).fields().get("error"))).isEqualTo("{\"status_code\":240,"
                + "\"status\":\"Outside messaging window\",\"detail\":\"the customer's last message is older\","
                + "\"meta_error\":null}");
    }
}
