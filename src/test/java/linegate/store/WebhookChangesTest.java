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
import java.util.Optional;

import static linegate.store.MessageChange.Kind.DELETED;
import static linegate.store.MessageChange.Kind.DELIVERED;
import static linegate.store.MessageChange.Kind.ECHO;
import static linegate.store.MessageChange.Kind.EDITED;
import static linegate.store.MessageChange.Kind.READ;
import static linegate.store.MessageChange.Kind.RECEIVED;
import static linegate.store.MessageChange.Kind.SENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook side's writes report exactly the changes they made, each recorded in the same transaction; Meta's
 * redelivery of the same event changes nothing and reports nothing.
 */
class WebhookChangesTest extends RecordedLogFixture {
    static final long NOW = T0 + 3_600_000;
    static final String PEER = "1254477777772919";

    @Override
    LineClass lineClass() {
        return LineClass.MESSENGER;
    }

    private MessageChange change(long id, MessageChange.Kind kind, long at) {
        return new MessageChange(id, account, line, PEER, kind, at);
    }

    private InboundEntry inbound(String mid, long at) {
        return new InboundEntry(account, line, LineClass.MESSENGER, false, PEER, "text", "Is my order ready?",
                Optional.of(mid), "msg:" + mid, "{}", at);
    }

    private InboundEntry echo(String mid, String text, long at) {
        return new InboundEntry(account, line, LineClass.MESSENGER, true, PEER, "text", text, Optional.of(mid),
                "echo:" + mid, "{}", at);
    }

    /** An outbound text row, sent with Meta's id {@code mid} at {@code sentAt}. */
    private long sent(String mid, long sentAt) {
        long id = log.append(new NewLogEntry(account, line, LineClass.MESSENGER, PEER, "text", "Your order has shipped",
                Optional.empty(), Optional.empty(), Optional.empty(), sentAt - 100)).cdlsId();
        log.finish(id, new LogOutcome.Sent(mid, sentAt));
        return id;
    }

    private List<MessageChange> recordedOf(MessageChange.Kind kind) {
        return recorded.committed().stream().filter(c -> c.kind() == kind).toList();
    }

    @Test
    void aCustomersMessageIsReceivedOnceAndItsRedeliveryReportsNothing() {
        List<MessageChange> first = log.logInbound(inbound("m_1", T0), NOW);

        assertThat(first).hasSize(1);
        assertThat(first.getFirst()).isEqualTo(change(first.getFirst().cdlsId(), RECEIVED, T0));
        assertThat(log.find(first.getFirst().cdlsId()).orElseThrow().direction()).isEqualTo("in");
        assertThat(log.logInbound(inbound("m_1", T0), NOW + 1)).isEmpty();
        assertThat(recorded.committed()).containsExactlyElementsOf(first);
    }

    @Test
    void anEchoTypedInMetasAppsIsAnEchoOnceAndItsRedeliveryReportsNothing() {
        List<MessageChange> first = log.logInbound(echo("m_app", "Typed in Meta Business Suite", T0), NOW);

        assertThat(first).singleElement().isEqualTo(change(first.getFirst().cdlsId(), ECHO, T0));
        assertThat(log.find(first.getFirst().cdlsId()).orElseThrow().origin()).isEqualTo("meta_app");
        assertThat(log.logInbound(echo("m_app", "Typed in Meta Business Suite", T0), NOW + 1)).isEmpty();
        assertThat(recorded.committed()).containsExactlyElementsOf(first);
    }

    @Test
    void anEchoOfAKnownSendReportsNothing() {
        sent("m_known", T0);

        assertThat(log.logInbound(echo("m_known", "Your order has shipped", T0), NOW)).isEmpty();
        assertThat(recordedOf(ECHO)).isEmpty();
    }

    @Test
    void anEchoProvingAnUnansweredSendReportsThatRowSentAtTheEchosTime() {
        long unknown = log.append(new NewLogEntry(account, line, LineClass.MESSENGER, PEER, "text", "Your order has shipped",
                Optional.empty(), Optional.empty(), Optional.empty(), T0)).cdlsId();
        log.finish(unknown, new LogOutcome.Unknown(LoggedError.local(280, "Meta API unreachable", "timeout"), T0 + 10));

        List<MessageChange> changes = log.logInbound(echo("m_lost", "Your order has shipped", T0 + 2_000), NOW);

        assertThat(changes).containsExactly(change(unknown, SENT, T0 + 2_000));
        assertThat(log.find(unknown).orElseThrow().state()).isEqualTo(LogState.SENT);
        assertThat(log.logInbound(echo("m_lost", "Your order has shipped", T0 + 2_000), NOW + 1)).isEmpty();
        assertThat(recordedOf(SENT)).containsExactly(change(unknown, SENT, T0 + 2_000));
    }

    @Test
    void deliveryReceiptsReportEachRowTheyDeliverOnce() {
        long byMid = sent("m_1", T0);
        long byWatermark = sent("m_2", T0 + 1_000);
        long later = sent("m_3", T0 + 9_000);

        List<MessageChange> changes = log.markDelivered(new Receipt(line, PEER, List.of("m_1"), Optional.of(T0 + 5_000),
                T0 + 6_000), NOW);

        assertThat(changes).containsExactly(change(byMid, DELIVERED, T0 + 6_000), change(byWatermark, DELIVERED, T0 + 6_000));
        assertThat(log.find(later).orElseThrow().state()).isEqualTo(LogState.SENT);
        assertThat(log.markDelivered(new Receipt(line, PEER, List.of("m_1"), Optional.of(T0 + 5_000), T0 + 6_000), NOW))
                .isEmpty();
        assertThat(recordedOf(DELIVERED)).containsExactlyElementsOf(changes);
    }

    @Test
    void aSeenReceiptReportsTheMessageAndEveryEarlierOneReadOnce() {
        long first = sent("m_1", T0);
        long seen = sent("m_2", T0 + 1_000);
        long after = sent("m_3", T0 + 2_000);

        List<MessageChange> changes = log.markRead(new Receipt(line, PEER, List.of("m_2"), Optional.empty(), T0 + 5_000), NOW);

        assertThat(changes).containsExactly(change(first, READ, T0 + 5_000), change(seen, READ, T0 + 5_000));
        assertThat(log.find(after).orElseThrow().state()).isEqualTo(LogState.SENT);
        assertThat(log.markRead(new Receipt(line, PEER, List.of("m_2"), Optional.empty(), T0 + 5_000), NOW)).isEmpty();
        assertThat(recordedOf(READ)).containsExactlyElementsOf(changes);
    }

    @Test
    void aReadWatermarkReportsEveryMessageSentAtOrBeforeItReadOnce() {
        long delivered = sent("m_1", T0);
        log.markDelivered(new Receipt(line, PEER, List.of("m_1"), Optional.empty(), T0 + 500), NOW);
        long sentOnly = sent("m_2", T0 + 1_000);
        sent("m_3", T0 + 9_000);

        List<MessageChange> changes = log.markRead(new Receipt(line, PEER, List.of(), Optional.of(T0 + 1_000), T0 + 5_000),
                NOW);

        assertThat(changes).containsExactly(change(delivered, READ, T0 + 5_000), change(sentOnly, READ, T0 + 5_000));
        assertThat(log.markRead(new Receipt(line, PEER, List.of(), Optional.of(T0 + 1_000), T0 + 6_000), NOW)).isEmpty();
        assertThat(recordedOf(READ)).containsExactlyElementsOf(changes);
    }

    @Test
    void anEditAndADeletionReportTheirRowOnceAndTheirRedeliveriesNothing() {
        long row = log.logInbound(inbound("m_1", T0), NOW).getFirst().cdlsId();

        assertThat(log.applyEdit(new InboundEdit(line, "m_1", "Is my order ready yet?", 1, T0 + 60_000), NOW))
                .containsExactly(change(row, EDITED, T0 + 60_000));
        assertThat(log.applyEdit(new InboundEdit(line, "m_1", "Is my order ready yet?", 1, T0 + 60_000), NOW)).isEmpty();
        assertThat(log.find(row).orElseThrow().mdata()).isEqualTo("Is my order ready yet?");
        assertThat(log.markDeleted(line, "m_1", T0 + 120_000, NOW)).containsExactly(change(row, DELETED, T0 + 120_000));
        assertThat(log.markDeleted(line, "m_1", T0 + 130_000, NOW)).isEmpty();
        assertThat(recorded.committed()).containsExactly(change(row, DELETED, T0 + 120_000),
                change(row, EDITED, T0 + 60_000), change(row, RECEIVED, T0));
    }
}
