package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox as a group-commit batch writes it, on both databases: one batch holding several accounts' changes
 * numbers each account's events in queue order with no gap, within the batch and after it; an event the database
 * refuses fails only that write, and the others' seqs still run without a gap.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class BatchedOutboxTest extends BatchingWriterFixture {
    long otherAccount;
    long otherLine;

    @BeforeEach
    void secondAccount() {
        otherAccount = stores.accounts().create("Brightsmile Clinic");
        otherLine = stores.lines().create(new NewLine(otherAccount, LineClass.INSTAGRAM, Optional.empty(),
                Optional.empty(), Optional.empty(), true, false));
    }

    private long accepted(long accountId, long lineId) {
        return writer.append(new NewLogEntry(accountId, lineId, LineClass.INSTAGRAM, "1254477777772919", "text",
                "Your order has shipped", Optional.empty(), Optional.empty(), Optional.empty(), T0)).cdlsId();
    }

    /** Queues a finish of each row behind a held batch, in this order, then lets them commit as one batch. */
    private List<Callers.Caller<List<MessageChange>>> finishInOneBatch(List<Long> rows) {
        return finishInOneBatch(rows, rows.stream().<LogOutcome>map(row -> new LogOutcome.Sent("mid." + row, T0 + row))
                .toList());
    }

    private List<Callers.Caller<List<MessageChange>>> finishInOneBatch(List<Long> rows, List<LogOutcome> outcomes) {
        gate.hold();
        Callers.Caller<Long> filler = Callers.start(() -> writer.append(entry(null)).cdlsId());
        gate.awaitHeld();
        List<Callers.Caller<List<MessageChange>>> callers = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            long row = rows.get(i);
            LogOutcome outcome = outcomes.get(i);
            int before = writer.queued();
            callers.add(Callers.start(() -> writer.finish(row, outcome)));
            Callers.awaitUntil("the finish is queued", () -> writer.queued() == before + 1);
        }
        gate.release();
        filler.await();
        callers.forEach(c -> c.outcome().exceptionally(e -> null).join());
        return callers;
    }

    /** The account's events as (seq, cdls_id), in seq order. */
    private List<List<Long>> events(long accountId) {
        return fx.query("SELECT seq, cdls_id FROM events WHERE account_id = ? ORDER BY seq", accountId).stream()
                .map(e -> List.of(StoreFixture.asLong(e.get("seq")), StoreFixture.asLong(e.get("cdls_id"))))
                .toList();
    }

    private long lastSeq(long accountId) {
        Map<String, Object> row = fx.one("SELECT event_seq FROM accounts WHERE id = ?", accountId);
        return StoreFixture.asLong(row.get("event_seq"));
    }

    @Test
    void oneBatchNumbersEachAccountsEventsInQueueOrderWithoutGaps() {
        long a1 = accepted(account, line);
        long b1 = accepted(otherAccount, otherLine);
        long a2 = accepted(account, line);
        long b2 = accepted(otherAccount, otherLine);
        long b3 = accepted(otherAccount, otherLine);
        long a3 = accepted(account, line);

        List<Callers.Caller<List<MessageChange>>> callers = finishInOneBatch(List.of(b1, a1, a2, b3, b2, a3));

        assertThat(gate.sizes()).as("the six finishes in one transaction").endsWith(6);
        assertThat(callers).allSatisfy(c -> assertThat(c.await()).hasSize(1));
        assertThat(events(account)).containsExactly(List.of(1L, a1), List.of(2L, a2), List.of(3L, a3));
        assertThat(events(otherAccount)).as("queue order, not row order")
                .containsExactly(List.of(1L, b1), List.of(2L, b3), List.of(3L, b2));
        assertThat(lastSeq(account)).isEqualTo(3);
        assertThat(lastSeq(otherAccount)).isEqualTo(3);

        long a4 = accepted(account, line);
        writer.finish(a4, new LogOutcome.Sent("mid.a4", T0 + 5));
        assertThat(events(account)).as("the next batch goes on from the last seq").endsWith(List.of(4L, a4));
    }

    @Test
    void aRefusedEventFailsOnlyItsWriteAndTheOtherSeqsStayWithoutGaps() {
        long a1 = accepted(account, line);
        long b1 = accepted(otherAccount, otherLine);
        long b2 = accepted(otherAccount, otherLine);
        long a2 = accepted(account, line);
        long b3 = accepted(otherAccount, otherLine);
        refuseEventsOf(b2);

        List<Callers.Caller<List<MessageChange>>> callers = finishInOneBatch(List.of(a1, b1, b2, a2, b3));

        assertThat(callers.get(2).failure()).as("the refused event's write").hasMessageContaining("refused by the test")
                .isNotInstanceOf(StoreUnavailableException.class);
        for (int i : new int[] {0, 1, 3, 4}) {
            assertThat(callers.get(i).await()).as("write %d", i).hasSize(1);
        }
        assertThat(gate.sizes()).as("the four others commit together").endsWith(4);
        assertThat(witness.row(b2).orElseThrow().state()).as("its change rolled back with its event").isEqualTo("accepted");
        assertThat(events(account)).containsExactly(List.of(1L, a1), List.of(2L, a2));
        assertThat(events(otherAccount)).containsExactly(List.of(1L, b1), List.of(2L, b3));
        assertThat(lastSeq(otherAccount)).isEqualTo(2);
    }

    @Test
    void twoOutcomesOfOneRowInOneBatchKeepTheirQueueOrder() {
        long row = accepted(account, line);
        long other = accepted(account, line);
        LogOutcome failed = new LogOutcome.Failed(LoggedError.local(250, "Page access token rejected", null), T0 + 1);

        List<Callers.Caller<List<MessageChange>>> callers = finishInOneBatch(List.of(other, row, row),
                List.of(new LogOutcome.Sent("mid.other", T0 + 1), failed, new LogOutcome.Sent("mid.late", T0 + 2)));

        assertThat(gate.sizes()).endsWith(3);
        assertThat(callers.get(1).await()).as("the first outcome queued moves the row").hasSize(1);
        assertThat(callers.get(2).await()).as("the later one finds it final").isEmpty();
        assertThat(witness.row(row).orElseThrow().state()).isEqualTo("failed");
        assertThat(events(account)).containsExactly(List.of(1L, other), List.of(2L, row));
    }

    /** A trigger that refuses the event of one message_log row, as a constraint would. */
    private void refuseEventsOf(long cdlsId) {
        if (db == TestDb.SQLITE) {
            fx.execute("CREATE TRIGGER refuse_event BEFORE INSERT ON events WHEN NEW.cdls_id = " + cdlsId
                    + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        } else {
            fx.execute("CREATE FUNCTION refuse_event() RETURNS trigger AS $$ BEGIN IF NEW.cdls_id = " + cdlsId
                    + " THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
            fx.execute("CREATE TRIGGER refuse_event BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_event()");
        }
    }
}
