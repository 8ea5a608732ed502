package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static linegate.store.MessageChange.Kind.ACCEPTED;
import static linegate.store.MessageChange.Kind.READ;
import static linegate.store.MessageChange.Kind.RECEIVED;
import static linegate.store.MessageChange.Kind.SENT;
import static linegate.store.MessageChange.Kind.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The recorder runs inside the transaction of the change it is told of: when it throws, the change is rolled back
 * with whatever the recorder had written, and the write fails, so no change can commit without its record.
 */
class ChangeRecorderTest extends RecordedLogFixture {
    static final String PEER = "1254477777772919";

    @Override
    LineClass lineClass() {
        return LineClass.MESSENGER;
    }

    private NewLogEntry outbound(long createdAt) {
        return new NewLogEntry(account, line, LineClass.MESSENGER, PEER, "text", "Your order has shipped",
                Optional.of("crm-" + createdAt), Optional.empty(), Optional.empty(), createdAt);
    }

    private List<Map<String, Object>> rows() {
        return fx.query("SELECT * FROM message_log ORDER BY id");
    }

    @Test
    void aRefusedAppendLeavesNoRowAndFreesItsMsgId() {
        recorded.refuse(c -> c.kind() == ACCEPTED);

        assertThatThrownBy(() -> log.append(outbound(T0))).hasMessageContaining("the recorder refused ACCEPTED");

        assertThat(rows()).isEmpty();
        recorded.refuse(c -> false);
        assertThat(log.append(outbound(T0)).kind()).as("the msg_id was never held").isEqualTo(ACCEPTED);
        assertThat(recorded.committed()).hasSize(1);
    }

    @Test
    void aRefusedFinishLeavesTheRowAcceptedAndALaterFinishStillMovesIt() {
        long id = log.append(outbound(T0)).cdlsId();
        List<Map<String, Object>> before = rows();
        recorded.refuse(c -> c.kind() == SENT);

        assertThatThrownBy(() -> log.finish(id, new LogOutcome.Sent("mid.1", T0 + 800)))
                .hasMessageContaining("the recorder refused SENT");

        assertThat(rows()).isEqualTo(before);
        recorded.refuse(c -> false);
        assertThat(log.finish(id, new LogOutcome.Sent("mid.1", T0 + 900))).extracting(MessageChange::kind).containsExactly(SENT);
        assertThat(recorded.committed()).extracting(MessageChange::kind).containsExactly(ACCEPTED, SENT);
    }

    @Test
    void aSweepIsOneTransactionAndARefusalOfItsLastRowKeepsEveryRowAccepted() {
        long first = log.append(outbound(T0)).cdlsId();
        long second = log.append(outbound(T0 + 1)).cdlsId();
        recorded.refuse(c -> c.kind() == UNKNOWN && c.cdlsId() == second);

        assertThatThrownBy(() -> log.markAbandonedAsUnknown(T0 + 60_000, T0 + 500_000, 0, Set.of()))
                .hasMessageContaining("the recorder refused UNKNOWN of row " + second);

        assertThat(log.find(first).orElseThrow().state()).isEqualTo(LogState.ACCEPTED);
        assertThat(log.find(second).orElseThrow().state()).isEqualTo(LogState.ACCEPTED);
        assertThat(recorded.committed()).extracting(MessageChange::kind).containsOnly(ACCEPTED);
    }

    @Test
    void aRefusedInboundMessageIsNotLoggedAndItsRedeliveryIsThenReceived() {
        InboundEntry message = new InboundEntry(account, line, LineClass.MESSENGER, false, PEER, "text", "Hi",
                Optional.of("m_1"), "msg:m_1", "{}", T0);
        recorded.refuse(c -> c.kind() == RECEIVED);

        assertThatThrownBy(() -> log.logInbound(message, T0 + 10)).hasMessageContaining("the recorder refused RECEIVED");

        assertThat(rows()).isEmpty();
        recorded.refuse(c -> false);
        assertThat(log.logInbound(message, T0 + 20)).extracting(MessageChange::kind).containsExactly(RECEIVED);
    }

    @Test
    void aReceiptsChangesCommitTogetherOrNotAtAll() {
        long first = log.append(outbound(T0)).cdlsId();
        log.finish(first, new LogOutcome.Sent("m_1", T0 + 100));
        long second = log.append(outbound(T0 + 1)).cdlsId();
        log.finish(second, new LogOutcome.Sent("m_2", T0 + 200));
        recorded.refuse(c -> c.kind() == READ && c.cdlsId() == second);

        assertThatThrownBy(() -> log.markRead(new Receipt(line, PEER, List.of(), Optional.of(T0 + 200), T0 + 300), T0 + 400))
                .hasMessageContaining("the recorder refused READ");

        assertThat(log.find(first).orElseThrow().state()).isEqualTo(LogState.SENT);
        assertThat(log.find(first).orElseThrow().readAt()).isEmpty();
        assertThat(recorded.committed()).extracting(MessageChange::kind).doesNotContain(READ);
    }
}
