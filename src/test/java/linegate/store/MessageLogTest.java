package linegate.store;

import linegate.send.MessageView;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The message log on SQLite and PostgreSQL: rows written before the Graph call and finished exactly once. */
@ParameterizedClass
@EnumSource(TestDb.class)
class MessageLogTest {
    static final long T0 = StoreFixture.T0.toEpochMilli();
    static final String DEST = "1254477777772919";
    /** No node has id 0: the sweep sees only rows that no node claimed, as these are. */
    static final long NO_NODE = 0;
    static final String META_ID = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjEyNTQ0Nzc3Nzc3NzI5MTk6MzQwMjgyMzY2ODQxNzEwMzAxMjQ0Mjc2MDE0MjMxNTYzMjc3OTcz";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    StoreFixture fx;
    Stores stores;
    MessageLog log;
    long account;
    long line;

    @BeforeEach
    void open() {
        fx = new StoreFixture(db, tmp);
        stores = fx.open();
        log = stores.log();
        account = stores.accounts().create("Acme Dental");
        line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(), Optional.empty(),
                Optional.empty(), true, false));
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private NewLogEntry outbound(long accountId, long lineId, String msgId, long createdAt) {
        return new NewLogEntry(accountId, lineId, LineClass.INSTAGRAM, DEST, "text", "Hello from Acme",
                Optional.ofNullable(msgId), Optional.empty(), Optional.empty(), createdAt);
    }

    private static LoggedError metaError() {
        return new LoggedError(240, "Outside messaging window", "Meta refused: outside the 24-hour window", 10, 2534022,
                "OAuthException", "This message is sent outside of allowed window.", "AbCdEfGhIjK");
    }

    @Test
    void appendReturnsIncreasingIdsAndWritesAnAcceptedOutboundRow() {
        long first = log.append(new NewLogEntry(account, line, LineClass.INSTAGRAM, DEST, "image", "https://cdn.example.com/a.jpg",
                Optional.of("crm-42"), Optional.of("HUMAN_AGENT"), Optional.empty(), T0)).cdlsId();
        long second = log.append(outbound(account, line, null, T0 + 1)).cdlsId();
        long third = log.append(outbound(account, line, null, T0 + 2)).cdlsId();

        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
        LogRow row = log.find(first).orElseThrow();
        assertThat(row.id()).isEqualTo(first);
        assertThat(row.accountId()).isEqualTo(account);
        assertThat(row.lineId()).isEqualTo(line);
        assertThat(row.channel()).isEqualTo(LineClass.INSTAGRAM);
        assertThat(row.direction()).isEqualTo("out");
        assertThat(row.peerId()).isEqualTo(DEST);
        assertThat(row.mtype()).isEqualTo("image");
        assertThat(row.mdata()).isEqualTo("https://cdn.example.com/a.jpg");
        assertThat(row.msgId()).contains("crm-42");
        assertThat(row.tag()).contains("HUMAN_AGENT");
        assertThat(row.state()).isEqualTo(LogState.ACCEPTED);
        assertThat(row.metaMessageId()).isEmpty();
        assertThat(row.error()).isEmpty();
        assertThat(row.createdAt()).isEqualTo(T0);
        assertThat(row.updatedAt()).isEqualTo(T0);
        assertThat(row.sentAt()).isEmpty();
        assertThat(row.deliveredAt()).isEmpty();
        assertThat(row.readAt()).isEmpty();
        assertThat(log.find(second).orElseThrow().msgId()).isEmpty();
    }

    @Test
    void anUnknownIdIsNotFound() {
        long id = log.append(outbound(account, line, null, T0)).cdlsId();

        assertThat(log.find(id + 1)).isEmpty();
    }

    @Test
    void finishSentRecordsMetasMessageIdAndTheSendTime() {
        long id = log.append(outbound(account, line, "crm-1", T0)).cdlsId();

        log.finish(id, new LogOutcome.Sent(META_ID, T0 + 850));

        LogRow row = log.find(id).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.SENT);
        assertThat(row.metaMessageId()).contains(META_ID);
        assertThat(row.sentAt()).contains(T0 + 850);
        assertThat(row.updatedAt()).isEqualTo(T0 + 850);
        assertThat(row.createdAt()).isEqualTo(T0);
        assertThat(row.error()).isEmpty();
    }

    @Test
    void finishFailedRecordsTheStatusAndEveryFieldOfMetasError() {
        long id = log.append(outbound(account, line, "crm-1", T0)).cdlsId();

        log.finish(id, new LogOutcome.Failed(metaError(), T0 + 400));

        LogRow row = log.find(id).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.error()).contains(metaError());
        assertThat(row.sentAt()).isEmpty();
        assertThat(row.metaMessageId()).isEmpty();
        assertThat(row.updatedAt()).isEqualTo(T0 + 400);
        Map<String, Object> raw = fx.one("SELECT * FROM message_log WHERE id = ?", id);
        assertThat(raw).contains(entry("state", "failed"), entry("error_status", "Outside messaging window"),
                entry("meta_type", "OAuthException"), entry("meta_message", "This message is sent outside of allowed window."),
                entry("meta_fbtrace_id", "AbCdEfGhIjK"), entry("error_detail", "Meta refused: outside the 24-hour window"));
        assertThat(((Number) raw.get("error_code")).intValue()).isEqualTo(240);
        assertThat(((Number) raw.get("meta_code")).intValue()).isEqualTo(10);
        assertThat(((Number) raw.get("meta_subcode")).intValue()).isEqualTo(2534022);
    }

    @Test
    void finishFailedWithoutASubcodeKeepsItNull() {
        long id = log.append(outbound(account, line, null, T0)).cdlsId();
        LoggedError noSubcode = new LoggedError(250, "Page access token rejected", null, 190, null, "OAuthException",
                "Invalid OAuth access token.", "Fb1");

        log.finish(id, new LogOutcome.Failed(noSubcode, T0 + 1));

        LoggedError read = log.find(id).orElseThrow().error().orElseThrow();
        assertThat(read).isEqualTo(noSubcode);
        assertThat(read.metaSubcode()).isNull();
        assertThat(read.detail()).isNull();
    }

    @Test
    void finishUnknownRecordsTheLocalErrorWithoutAMetaError() {
        long id = log.append(outbound(account, line, null, T0)).cdlsId();
        LoggedError unreachable = LoggedError.local(280, "Meta API unreachable", "connect timed out after 10000 ms");

        log.finish(id, new LogOutcome.Unknown(unreachable, T0 + 10_000));

        LogRow row = log.find(id).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.UNKNOWN);
        assertThat(row.error()).contains(unreachable);
        assertThat(row.error().orElseThrow().hasMetaError()).isFalse();
        assertThat(row.sentAt()).isEmpty();
        assertThat(row.updatedAt()).isEqualTo(T0 + 10_000);
    }

    @Test
    void aSecondFinishOnAFinalRowChangesNothing() {
        long sent = log.append(outbound(account, line, null, T0)).cdlsId();
        long failed = log.append(outbound(account, line, null, T0)).cdlsId();
        long unknown = log.append(outbound(account, line, null, T0)).cdlsId();
        log.finish(sent, new LogOutcome.Sent(META_ID, T0 + 1));
        log.finish(failed, new LogOutcome.Failed(metaError(), T0 + 1));
        log.finish(unknown, new LogOutcome.Unknown(LoggedError.local(280, "Meta API unreachable", "timeout"), T0 + 1));
        List<Map<String, Object>> before = fx.query("SELECT * FROM message_log ORDER BY id");

        for (long id : List.of(sent, failed, unknown)) {
            log.finish(id, new LogOutcome.Sent("another-id", T0 + 99));
            log.finish(id, new LogOutcome.Failed(LoggedError.local(270, "Meta API error", "late"), T0 + 99));
            log.finish(id, new LogOutcome.Unknown(LoggedError.local(280, "Meta API unreachable", "late"), T0 + 99));
        }

        assertThat(fx.query("SELECT * FROM message_log ORDER BY id")).isEqualTo(before);
        assertThat(log.find(sent).orElseThrow().state()).isEqualTo(LogState.SENT);
        assertThat(log.find(failed).orElseThrow().state()).isEqualTo(LogState.FAILED);
        assertThat(log.find(unknown).orElseThrow().state()).isEqualTo(LogState.UNKNOWN);
    }

    @Test
    void finishingAnUnknownIdChangesNothing() {
        long id = log.append(outbound(account, line, null, T0)).cdlsId();

        log.finish(id + 10, new LogOutcome.Sent(META_ID, T0 + 1));

        assertThat(log.find(id).orElseThrow().state()).isEqualTo(LogState.ACCEPTED);
        assertThat(fx.query("SELECT id FROM message_log")).hasSize(1);
    }

    @Test
    void aRefusedEntryIsWrittenDirectlyAsFailedAndStaysSo() {
        LoggedError refusal = LoggedError.local(240, "Outside messaging window", "last inbound message is 25 h old");
        long id = log.append(new NewLogEntry(account, line, LineClass.INSTAGRAM, DEST, "text", "hi", Optional.of("crm-7"),
                Optional.empty(), Optional.of(refusal), T0)).cdlsId();

        LogRow row = log.find(id).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.error()).contains(refusal);
        assertThat(row.msgId()).contains("crm-7");
        assertThat(row.sentAt()).isEmpty();

        log.finish(id, new LogOutcome.Sent(META_ID, T0 + 5));
        assertThat(log.find(id).orElseThrow().state()).isEqualTo(LogState.FAILED);
        assertThat(log.find(id).orElseThrow().metaMessageId()).isEmpty();
    }

    @Test
    void listIsNewestFirstWithALimitAndAnAccountFilter() {
        long other = stores.accounts().create("Other Clinic");
        long otherLine = stores.lines().create(new NewLine(other, LineClass.MESSENGER, Optional.empty(), Optional.empty(),
                Optional.empty(), true, false));
        List<Long> mine = new ArrayList<>();
        List<Long> theirs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            mine.add(log.append(outbound(account, line, "m" + i, T0 + i)).cdlsId());
            theirs.add(log.append(new NewLogEntry(other, otherLine, LineClass.MESSENGER, DEST, "text", "x",
                    Optional.empty(), Optional.empty(), Optional.empty(), T0 + i)).cdlsId());
        }

        assertThat(log.list(Optional.empty(), 100)).extracting(LogRow::id)
                .containsExactly(theirs.get(3), mine.get(3), theirs.get(2), mine.get(2), theirs.get(1), mine.get(1),
                        theirs.get(0), mine.get(0));
        assertThat(log.list(Optional.empty(), 3)).extracting(LogRow::id)
                .containsExactly(theirs.get(3), mine.get(3), theirs.get(2));
        assertThat(log.list(Optional.of(account), 100)).extracting(LogRow::id)
                .containsExactly(mine.get(3), mine.get(2), mine.get(1), mine.get(0));
        assertThat(log.list(Optional.of(account), 2)).extracting(LogRow::id).containsExactly(mine.get(3), mine.get(2));
        assertThat(log.list(Optional.of(other), 1)).extracting(LogRow::id).containsExactly(theirs.get(3));
        assertThat(log.list(Optional.of(other), 1).getFirst().channel()).isEqualTo(LineClass.MESSENGER);
        assertThat(log.list(Optional.of(other + 100), 10)).isEmpty();
    }

    @Test
    void markAbandonedAsUnknownMovesOnlyAcceptedRowsOlderThanTheCutoff() {
        long oldAccepted = log.append(outbound(account, line, null, T0)).cdlsId();
        long oldSent = log.append(outbound(account, line, null, T0)).cdlsId();
        log.finish(oldSent, new LogOutcome.Sent(META_ID, T0 + 1));
        long oldRefused = log.append(new NewLogEntry(account, line, LineClass.INSTAGRAM, DEST, "text", "x", Optional.empty(),
                Optional.empty(), Optional.of(LoggedError.local(233, "No page access token", "none")), T0)).cdlsId();
        long atCutoff = log.append(outbound(account, line, null, T0 + 60_000)).cdlsId();
        long fresh = log.append(outbound(account, line, null, T0 + 120_000)).cdlsId();
        List<Map<String, Object>> untouchedBefore = fx.query(
                "SELECT * FROM message_log WHERE id IN (?, ?, ?, ?) ORDER BY id", oldSent, oldRefused, atCutoff, fresh);

        int moved = log.markAbandonedAsUnknown(T0 + 60_000, T0 + 500_000, NO_NODE, Set.of()).size();

        assertThat(moved).isEqualTo(1);
        LogRow abandoned = log.find(oldAccepted).orElseThrow();
        assertThat(abandoned.state()).isEqualTo(LogState.UNKNOWN);
        assertThat(abandoned.error().orElseThrow().statusCode()).isEqualTo(280);
        assertThat(abandoned.error().orElseThrow().status()).isEqualTo("Meta API unreachable");
        assertThat(abandoned.error().orElseThrow().detail()).contains("abandoned");
        assertThat(abandoned.updatedAt()).isEqualTo(T0 + 500_000);
        assertThat(abandoned.sentAt()).isEmpty();
        assertThat(fx.query("SELECT * FROM message_log WHERE id IN (?, ?, ?, ?) ORDER BY id", oldSent, oldRefused, atCutoff, fresh))
                .isEqualTo(untouchedBefore);
        assertThat(log.markAbandonedAsUnknown(T0 + 60_000, T0 + 600_000, NO_NODE, Set.of())).isEmpty();
        assertThat(log.find(oldAccepted).orElseThrow().updatedAt()).isEqualTo(T0 + 500_000);
    }

    private long claimedBy(long node, long createdAt) {
        return log.append(outbound(account, line, null, createdAt).claimed("hash", node)).cdlsId();
    }

    @Test
    void theAgeSweepTakesThisNodesAndUnclaimedRowsButNeitherHeldOnesNorAnotherNodesRows() {
        long me = stores.nodes().register(T0);
        long other = stores.nodes().register(T0);
        long mine = claimedBy(me, T0);
        long mineHeld = claimedBy(me, T0);
        long theirs = claimedBy(other, T0);
        long unclaimed = log.append(outbound(account, line, null, T0)).cdlsId();

        int moved = log.markAbandonedAsUnknown(T0 + 60_000, T0 + 500_000, me, Set.of(mineHeld)).size();

        assertThat(moved).isEqualTo(2);
        assertThat(log.find(mine).orElseThrow().state()).isEqualTo(LogState.UNKNOWN);
        assertThat(log.find(unclaimed).orElseThrow().state()).isEqualTo(LogState.UNKNOWN);
        assertThat(log.find(mineHeld).orElseThrow().state()).isEqualTo(LogState.ACCEPTED);
        assertThat(log.find(theirs).orElseThrow().state()).isEqualTo(LogState.ACCEPTED);
    }

    @Test
    void orphansAreTheAcceptedRowsOfStoppedOrSilentNodesWhateverTheirAge() {
        long silent = stores.nodes().register(T0);
        long stopped = stores.nodes().register(T0);
        long alive = stores.nodes().register(T0);
        stores.nodes().stop(stopped, T0 + 1_000);
        assertThat(stores.nodes().beat(alive, T0 + 20_000)).isTrue();
        assertThat(stores.nodes().beat(stopped, T0 + 20_000)).as("a stopped node stays stopped").isFalse();
        long ofSilent = claimedBy(silent, T0 + 19_000);
        long ofStopped = claimedBy(stopped, T0 + 19_000);
        long ofAlive = claimedBy(alive, T0 + 19_000);
        long sentOfSilent = claimedBy(silent, T0 + 19_000);
        log.finish(sentOfSilent, new LogOutcome.Sent(META_ID, T0 + 19_500));

        int moved = log.markOrphansAsUnknown(T0 + 5_000, T0 + 20_000).size();

        assertThat(moved).isEqualTo(2);
        assertThat(log.find(ofSilent).orElseThrow().state()).isEqualTo(LogState.UNKNOWN);
        assertThat(log.find(ofSilent).orElseThrow().error().orElseThrow().statusCode()).isEqualTo(280);
        assertThat(log.find(ofStopped).orElseThrow().state()).isEqualTo(LogState.UNKNOWN);
        assertThat(log.find(ofAlive).orElseThrow().state()).isEqualTo(LogState.ACCEPTED);
        assertThat(log.find(sentOfSilent).orElseThrow().state()).isEqualTo(LogState.SENT);
    }

    @Test
    void atStartTheRowsLeftByEarlierProcessesBecomeUnknownAndThisNodesStayAccepted() {
        long earlier = stores.nodes().register(T0);
        long leftByEarlier = claimedBy(earlier, T0 + 10);
        long unclaimed = log.append(outbound(account, line, null, T0 + 10)).cdlsId();
        long me = stores.nodes().register(T0 + 20);
        long mine = claimedBy(me, T0 + 30);

        int moved = log.markLeftByEarlierProcessesAsUnknown(me, T0 + 40).size();

        assertThat(moved).isEqualTo(2);
        assertThat(log.find(leftByEarlier).orElseThrow().state()).isEqualTo(LogState.UNKNOWN);
        assertThat(log.find(unclaimed).orElseThrow().state()).isEqualTo(LogState.UNKNOWN);
        assertThat(log.find(mine).orElseThrow().state()).isEqualTo(LogState.ACCEPTED);
    }

    @Test
    void aFinishAfterTheSweeperGaveUpDoesNotOverwriteUnknown() {
        long id = log.append(outbound(account, line, null, T0)).cdlsId();
        log.markAbandonedAsUnknown(T0 + 1, T0 + 2, NO_NODE, Set.of());

        log.finish(id, new LogOutcome.Sent(META_ID, T0 + 3));

        assertThat(log.find(id).orElseThrow().state()).isEqualTo(LogState.UNKNOWN);
        assertThat(log.find(id).orElseThrow().metaMessageId()).isEmpty();
    }

    @Test
    void aRowAsAMessageHasTheContractShapeWithIsoTimestamps() {
        long id = log.append(outbound(account, line, "crm-42", T0)).cdlsId();
        log.finish(id, new LogOutcome.Failed(metaError(), T0 + 400));
        long sent = log.append(outbound(account, line, null, T0 + 1000)).cdlsId();
        log.finish(sent, new LogOutcome.Sent(META_ID, T0 + 1850));

        Map<String, Object> failed = MessageView.of(log.find(id).orElseThrow()).fields();
        assertThat(failed).containsOnlyKeys("cdls_id", "msg_id", "account_id", "app_id", "channel", "direction",
                "origin", "dest", "mtype", "mdata", "tag", "state", "messageId", "error", "created_at", "sent_at",
                "delivered_at", "read_at", "deleted_at");
        assertThat(failed).contains(entry("cdls_id", id), entry("msg_id", "crm-42"), entry("app_id", line),
                entry("channel", "instagram"), entry("direction", "out"), entry("dest", DEST), entry("state", "failed"),
                entry("created_at", "2026-11-25T10:15:30.123Z"), entry("sent_at", null), entry("messageId", null));
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) failed.get("error");
        assertThat(error).contains(entry("status_code", 240), entry("status", "Outside messaging window"));
        assertThat(error.get("meta_error")).isEqualTo(Map.of("code", 10, "subcode", 2534022, "type", "OAuthException",
                "message", "This message is sent outside of allowed window.", "fbtrace_id", "AbCdEfGhIjK"));

        Map<String, Object> ok = MessageView.of(log.find(sent).orElseThrow()).fields();
        assertThat(ok).contains(entry("state", "sent"), entry("messageId", META_ID), entry("error", null),
                entry("created_at", "2026-11-25T10:15:31.123Z"), entry("sent_at", "2026-11-25T10:15:31.973Z"),
                entry("msg_id", null));
    }
}
