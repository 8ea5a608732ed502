package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static linegate.store.MessageChange.Kind.ACCEPTED;
import static linegate.store.MessageChange.Kind.SENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group-commit writer reports the same changes as the plain one and records them in its batch transaction; a
 * recorder that refuses one write's change fails that write alone, and the rest of its batch commits with its records.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class BatchedChangesTest extends BatchingWriterFixture {
    ChangeTable recorded;

    @BeforeEach
    void recordChanges() {
        recorded = new ChangeTable(fx);
        writer.close();
        writer = new BatchingMessageLogWriter(new MessageLog(stores.db(), recorded), 64, Duration.ZERO, gate);
    }

    @Test
    void appendAndFinishReportTheirChangesAndTheBatchRecordsThem() {
        MessageChange accepted = writer.append(entry("crm-1"));

        assertThat(accepted).isEqualTo(new MessageChange(accepted.cdlsId(), account, line, "1254477777772919", ACCEPTED, T0));
        List<MessageChange> sent = writer.finish(accepted.cdlsId(), new LogOutcome.Sent("mid.1", T0 + 800));
        assertThat(sent).containsExactly(new MessageChange(accepted.cdlsId(), account, line, "1254477777772919", SENT,
                T0 + 800));
        assertThat(writer.finish(accepted.cdlsId(), new LogOutcome.Sent("mid.2", T0 + 900))).isEmpty();
        assertThat(recorded.committed()).containsExactly(accepted, sent.getFirst());
    }

    @Test
    void aRefusedChangeFailsOnlyItsWriteAndTheRestOfTheBatchCommitsWithItsRecords() {
        recorded.refuse(c -> c.peerId().equals("peer-refused"));
        gate.hold();
        Callers.Caller<MessageChange> filler = Callers.start(() -> writer.append(entry(null)));
        gate.awaitHeld();
        List<Callers.Caller<MessageChange>> callers = new ArrayList<>();
        for (String msgId : List.of("before", "refused", "after")) {
            int queued = writer.queued();
            callers.add(Callers.start(() -> writer.append(to("peer-" + msgId, msgId))));
            Callers.awaitUntil("the write is queued", () -> writer.queued() == queued + 1);
        }
        gate.release();
        filler.await();
        callers.forEach(c -> c.outcome().exceptionally(e -> null).join());

        assertThat(callers.get(1).failure()).hasMessageContaining("the recorder refused ACCEPTED");
        assertThat(gate.sizes()).as("the filler, then the batch of three run again without the refused write")
                .containsExactly(1, 2);
        assertThat(witness.count("msg_id = 'refused'")).isZero();
        MessageChange before = callers.get(0).await();
        MessageChange after = callers.get(2).await();
        assertThat(witness.row(before.cdlsId())).isPresent();
        assertThat(witness.row(after.cdlsId())).isPresent();
        assertThat(recorded.committed()).containsExactly(filler.await(), before, after);
    }

    private NewLogEntry to(String peer, String msgId) {
        return new NewLogEntry(account, line, LineClass.INSTAGRAM, peer, "text", "Your order has shipped",
                Optional.of(msgId), Optional.empty(), Optional.empty(), T0);
    }
}
