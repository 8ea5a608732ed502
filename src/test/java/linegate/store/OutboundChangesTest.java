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
import java.util.Set;

import static linegate.store.MessageChange.Kind.ACCEPTED;
import static linegate.store.MessageChange.Kind.FAILED;
import static linegate.store.MessageChange.Kind.SENT;
import static linegate.store.MessageChange.Kind.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The send side's writes report exactly the changes they made, and their recorder wrote the same changes in the
 * same transaction (committed with them, as another connection sees). A write that changes nothing reports nothing.
 */
class OutboundChangesTest extends RecordedLogFixture {
    static final String DEST = "1254477777772919";

    @Override
    LineClass lineClass() {
        return LineClass.INSTAGRAM;
    }

    private NewLogEntry outbound(String msgId, long createdAt) {
        return new NewLogEntry(account, line, LineClass.INSTAGRAM, DEST, "text", "Your order has shipped",
                Optional.ofNullable(msgId), Optional.empty(), Optional.empty(), createdAt);
    }

    private MessageChange change(long id, MessageChange.Kind kind, long at) {
        return new MessageChange(id, account, line, DEST, kind, at);
    }

    @Test
    void appendReportsTheAcceptedRowAndALocalRefusalTheFailedOne() {
        MessageChange accepted = log.append(outbound("crm-1", T0));
        MessageChange refused = log.append(new NewLogEntry(account, line, LineClass.INSTAGRAM, DEST, "text", "x",
                Optional.empty(), Optional.empty(), Optional.of(LoggedError.local(240, "Outside messaging window", "closed")),
                T0 + 5));

        assertThat(accepted).isEqualTo(change(accepted.cdlsId(), ACCEPTED, T0));
        assertThat(log.find(accepted.cdlsId()).orElseThrow().state()).isEqualTo(LogState.ACCEPTED);
        assertThat(refused).isEqualTo(change(refused.cdlsId(), FAILED, T0 + 5));
        assertThat(log.find(refused.cdlsId()).orElseThrow().state()).isEqualTo(LogState.FAILED);
        assertThat(recorded.committed()).containsExactly(accepted, refused);
    }

    @Test
    void anAppendWhoseMsgIdIsHeldChangesNothingAndReportsNothing() {
        MessageChange first = log.append(outbound("crm-1", T0));

        assertThatThrownBy(() -> log.append(outbound("crm-1", T0 + 1))).isInstanceOf(MsgIdInUseException.class);

        assertThat(recorded.committed()).containsExactly(first);
    }

    @Test
    void eachFinishReportsItsStateOnceAndALateOrRepeatedFinishReportsNothing() {
        long sent = log.append(outbound(null, T0)).cdlsId();
        long failed = log.append(outbound(null, T0)).cdlsId();
        long unknown = log.append(outbound(null, T0)).cdlsId();
        LoggedError error = LoggedError.local(280, "Meta API unreachable", "timeout");

        assertThat(log.finish(sent, new LogOutcome.Sent("mid.1", T0 + 800))).containsExactly(change(sent, SENT, T0 + 800));
        assertThat(log.finish(failed, new LogOutcome.Failed(error, T0 + 801)))
                .containsExactly(change(failed, FAILED, T0 + 801));
        assertThat(log.finish(unknown, new LogOutcome.Unknown(error, T0 + 802)))
                .containsExactly(change(unknown, UNKNOWN, T0 + 802));

        assertThat(log.finish(sent, new LogOutcome.Failed(error, T0 + 900))).isEmpty();
        assertThat(log.finish(unknown, new LogOutcome.Sent("mid.late", T0 + 901))).isEmpty();
        assertThat(log.finish(sent + 1_000, new LogOutcome.Sent("mid.none", T0 + 902))).isEmpty();
        assertThat(recorded.committed()).filteredOn(c -> c.kind() != ACCEPTED).containsExactly(
                change(sent, SENT, T0 + 800), change(failed, FAILED, T0 + 801), change(unknown, UNKNOWN, T0 + 802));
    }

    @Test
    void theAgeSweepReportsEachRowItMarksUnknownAndNothingTheSecondTime() {
        long old1 = log.append(outbound(null, T0)).cdlsId();
        long old2 = log.append(outbound(null, T0 + 1)).cdlsId();
        long oldSent = log.append(outbound(null, T0)).cdlsId();
        log.finish(oldSent, new LogOutcome.Sent("mid.1", T0 + 10));
        long fresh = log.append(outbound(null, T0 + 120_000)).cdlsId();

        List<MessageChange> swept = log.markAbandonedAsUnknown(T0 + 60_000, T0 + 500_000, 0, Set.of());

        assertThat(swept).containsExactly(change(old1, UNKNOWN, T0 + 500_000), change(old2, UNKNOWN, T0 + 500_000));
        assertThat(log.find(fresh).orElseThrow().state()).isEqualTo(LogState.ACCEPTED);
        assertThat(log.markAbandonedAsUnknown(T0 + 60_000, T0 + 600_000, 0, Set.of())).isEmpty();
        assertThat(recorded.committed()).filteredOn(c -> c.kind() == UNKNOWN).containsExactlyElementsOf(swept);
    }

    @Test
    void theSweepOfGoneNodesReportsEachRowItMarksUnknown() {
        long gone = stores.nodes().register(T0);
        stores.nodes().stop(gone, T0 + 1_000);
        long alive = stores.nodes().register(T0);
        stores.nodes().beat(alive, T0 + 20_000);
        long ofGone = log.append(outbound(null, T0 + 10).claimed("hash", gone)).cdlsId();
        log.append(outbound(null, T0 + 10).claimed("hash", alive));

        List<MessageChange> swept = log.markOrphansAsUnknown(T0 + 5_000, T0 + 20_000);

        assertThat(swept).containsExactly(change(ofGone, UNKNOWN, T0 + 20_000));
        assertThat(log.markOrphansAsUnknown(T0 + 5_000, T0 + 21_000)).isEmpty();
        assertThat(recorded.committed()).filteredOn(c -> c.kind() == UNKNOWN).containsExactlyElementsOf(swept);
    }

    @Test
    void theStartUpSweepReportsEachRowLeftByAnEarlierProcess() {
        long earlier = stores.nodes().register(T0);
        long left = log.append(outbound(null, T0 + 10).claimed("hash", earlier)).cdlsId();
        long me = stores.nodes().register(T0 + 20);
        log.append(outbound(null, T0 + 30).claimed("hash", me));

        List<MessageChange> swept = log.markLeftByEarlierProcessesAsUnknown(me, T0 + 40);

        assertThat(swept).containsExactly(change(left, UNKNOWN, T0 + 40));
        assertThat(log.markLeftByEarlierProcessesAsUnknown(me, T0 + 50)).isEmpty();
        assertThat(recorded.committed()).filteredOn(c -> c.kind() == UNKNOWN).containsExactlyElementsOf(swept);
    }
}
