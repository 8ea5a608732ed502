package linegate.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text holding NUL, which PostgreSQL refuses in text columns, goes into the message log and the webhook inbox on both
 * databases (through either log writer) and comes out as it went in.
 */
class StoredTextTest extends StoreTestBase {
    static final String NUL_TEXT = "a\u0000b \uFFFF0 \uFFFF1 \uFFFF end\u0000";
    static final long T0 = StoreFixture.T0.toEpochMilli();

    long line;

    @BeforeEach
    void open() {
        line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(), Optional.empty(),
                Optional.empty(), true, false));
    }

    @Test
    void theEscapeRoundTripsAndLeavesTextWithoutNulAsItIs() {
        assertThat(StoredText.decode(StoredText.encode(NUL_TEXT))).isEqualTo(NUL_TEXT);
        assertThat(StoredText.encode(NUL_TEXT)).doesNotContain("\u0000");
        assertThat(StoredText.encode("Thanks — how can we help? 👋")).isEqualTo("Thanks — how can we help? 👋");
        assertThat(StoredText.decode("a lone \uFFFF escape")).isEqualTo("a lone \uFFFF escape");
        assertThat(StoredText.encode(null)).isNull();
    }

    @Test
    void anOutboundRowWithNulInEveryTextReadsBackUnchanged() {
        appendAndFinish(stores.log());
    }

    @Test
    void theBatchingWriterStoresNulTextToo() {
        try (BatchingMessageLogWriter writer = new BatchingMessageLogWriter(stores.log(), 8, Duration.ZERO)) {
            appendAndFinish(writer);
        }
    }

    @Test
    void anInboxDeliveryAndItsErrorWithNulAreKept() {
        byte[] body = ("{\"text\":\"" + NUL_TEXT + "\"}").getBytes(StandardCharsets.UTF_8);
        long id = stores.inbox().append(body, T0);
        stores.inbox().markFailed(id, "refused: " + NUL_TEXT, 1);

        assertThat(stores.inbox().pending(T0 + 1, 10, 10)).singleElement()
                .satisfies(p -> assertThat(p.body()).isEqualTo(body));
        assertThat(StoredText.decode((String) fx.one("SELECT last_error FROM webhook_inbox WHERE id = ?", id)
                .get("last_error"))).isEqualTo("refused: " + NUL_TEXT);
    }

    private void appendAndFinish(MessageLogWriter writer) {
        long id = writer.append(new NewLogEntry(account, line, LineClass.INSTAGRAM, "1254477777772919", "text", NUL_TEXT,
                Optional.of("ref" + NUL_TEXT), Optional.empty(), Optional.empty(), T0)).cdlsId();
        writer.finish(id, new LogOutcome.Failed(LoggedError.local(250, "Page access token rejected", "Meta said " + NUL_TEXT),
                T0 + 5));

        LogRow row = stores.log().find(id).orElseThrow();
        assertThat(row.mdata()).isEqualTo(NUL_TEXT);
        assertThat(row.msgId()).contains("ref" + NUL_TEXT);
        assertThat(row.error().orElseThrow().detail()).isEqualTo("Meta said " + NUL_TEXT);
        assertThat(stores.log().findNewestByMsgId(account, "ref" + NUL_TEXT)).get().extracting(LogRow::id).isEqualTo(id);
    }
}
