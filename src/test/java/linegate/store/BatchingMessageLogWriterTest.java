package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit keeps the simple writer's promises on SQLite and PostgreSQL: every caller gets its own row's id only
 * once that row is committed (seen by another connection), batches really form under concurrency and never exceed
 * their size, and one row's writes apply in the order they were made.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class BatchingMessageLogWriterTest extends BatchingWriterFixture {
    @Test
    void concurrentAppendsEachGetTheirOwnRowCommittedBeforeTheyReturn() throws Exception {
        List<Witness.Seen> seen = Callers.burst(200, i -> {
            long id = writer.append(entry("crm-" + i)).cdlsId();
            return witness.row(id).orElseThrow(() -> new AssertionError("row " + id + " not visible after its append returned"));
        });

        for (int i = 0; i < 200; i++) {
            assertThat(seen.get(i).msgId()).as("the id returned to caller %d is its own row", i).contains("crm-" + i);
            assertThat(seen.get(i).state()).isEqualTo("accepted");
        }
        assertThat(new HashSet<>(seen.stream().map(Witness.Seen::id).toList())).hasSize(200);
        // the writer thread counts a batch just after answering its callers, so the last batch may not be counted yet
        Callers.awaitUntil("every write is counted", () -> writer.stats().writes() == 200);
        BatchingMessageLogWriter.Stats stats = writer.stats();
        assertThat(stats.writes()).isEqualTo(200);
        assertThat(stats.largestBatch()).as("at least one batch held several writes").isGreaterThan(1).isLessThanOrEqualTo(64);
        assertThat(stats.batches()).isLessThan(200);
    }

    @Test
    void noCallerReturnsBeforeItsBatchCommits() throws Exception {
        gate.hold();
        Callers.Caller<Long> first = Callers.start(() -> writer.append(entry("first")).cdlsId());
        assertThat(gate.awaitHeld()).isEqualTo(1);
        List<Callers.Caller<Long>> callers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            callers.add(Callers.start(() -> writer.append(entry("held-" + n)).cdlsId()));
        }
        Callers.awaitUntil("all 20 writes are queued", () -> writer.queued() == 20);
        gate.releaseOne();
        // the 20 writes are now executed in one transaction that waits before its commit
        assertThat(gate.awaitHeld()).isEqualTo(20);
        Callers.awaitParkedOrDone(callers);

        assertThat(first.await()).isPositive();
        assertThat(callers).allSatisfy(c -> assertThat(c.outcome()).as("answered before its commit").isNotDone());
        assertThat(witness.count("msg_id LIKE 'held-%'")).as("uncommitted rows are invisible").isZero();

        gate.release();
        for (Callers.Caller<Long> c : callers) {
            assertThat(witness.row(c.await())).isPresent();
        }
        assertThat(witness.count("msg_id LIKE 'held-%'")).isEqualTo(20);
    }

    @Test
    void aBatchTakesAtMostMaxBatchWritesInQueueOrder() throws Exception {
        writer.close();
        writer = new BatchingMessageLogWriter(stores.log(), 16, Duration.ZERO, gate);
        gate.hold();
        Callers.Caller<Long> first = Callers.start(() -> writer.append(entry(null)).cdlsId());
        gate.awaitHeld();
        List<Callers.Caller<Long>> callers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            callers.add(Callers.start(() -> writer.append(entry("q-" + n)).cdlsId()));
            Callers.awaitUntil("write " + n + " is queued", () -> writer.queued() == n + 1);
        }

        gate.release();

        first.await();
        List<Long> ids = callers.stream().map(Callers.Caller::await).toList();
        assertThat(gate.sizes()).containsExactly(1, 16, 16, 8);
        assertThat(ids).as("queue order is id order").isSorted();
        assertThat(writer.stats().largestBatch()).isEqualTo(16);
    }

    @Test
    void anIdleWriterLingersForCompanyAtMostMaxWait() {
        writer.close();
        writer = new BatchingMessageLogWriter(stores.log(), 64, Duration.ofMillis(300), gate);

        long start = System.nanoTime();
        long id = writer.append(entry(null)).cdlsId();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(witness.row(id)).isPresent();
    }

    @Test
    void aFullBatchStopsTheLingerAndWritesQueuedDuringACommitGoWithoutLingering() throws Exception {
        writer.close();
        writer = new BatchingMessageLogWriter(stores.log(), 2, Duration.ofSeconds(20), gate);
        gate.hold();
        Callers.Caller<Long> a = Callers.start(() -> writer.append(entry("a")).cdlsId());
        Callers.Caller<Long> b = Callers.start(() -> writer.append(entry("b")).cdlsId());
        assertThat(gate.awaitHeld()).as("the second write filled the batch, ending the linger").isEqualTo(2);
        Callers.Caller<Long> c = Callers.start(() -> writer.append(entry("c")).cdlsId());
        Callers.awaitUntil("c is queued", () -> writer.queued() == 1);

        gate.release();

        assertThat(a.await()).isPositive();
        assertThat(b.await()).isPositive();
        assertThat(c.outcome().get(10, TimeUnit.SECONDS)).as("c was waiting already: no 20 s linger").isPositive();
        assertThat(gate.sizes()).containsExactly(2, 1);
    }

    @Test
    void eachRequestsAppendAndFinishLandInOrderUnderConcurrency() throws Exception {
        List<Long> ids = Callers.burst(150, i -> {
            long id = writer.append(entry("crm-" + i)).cdlsId();
            writer.finish(id, i % 3 == 0
                    ? new LogOutcome.Failed(LoggedError.local(270, "Meta API error", "refused " + i), T0 + 5)
                    : new LogOutcome.Sent("mid-" + i, T0 + 5));
            return id;
        });

        for (int i = 0; i < ids.size(); i++) {
            Witness.Seen row = witness.row(ids.get(i)).orElseThrow();
            assertThat(row.msgId()).contains("crm-" + i);
            if (i % 3 == 0) {
                assertThat(row.state()).isEqualTo("failed");
            } else {
                assertThat(row.state()).isEqualTo("sent");
                assertThat(row.metaMessageId()).contains("mid-" + i);
            }
        }
    }

    @Test
    void finishesOfOneRowApplyInTheOrderTheyWereQueuedAndTheFirstFinalStateStays() throws Exception {
        long sentFirst = writer.append(entry("r1")).cdlsId();
        long failedFirst = writer.append(entry("r2")).cdlsId();
        gate.hold();
        Callers.Caller<Long> filler = Callers.start(() -> writer.append(entry(null)).cdlsId());
        gate.awaitHeld();
        List<Callers.Caller<Void>> finishes = new ArrayList<>();
        List<Runnable> inOrder = List.of(
                () -> writer.finish(sentFirst, new LogOutcome.Sent("mid-first", T0 + 1)),
                () -> writer.finish(sentFirst, new LogOutcome.Failed(LoggedError.local(270, "Meta API error", "late"), T0 + 2)),
                () -> writer.finish(failedFirst, new LogOutcome.Failed(LoggedError.local(270, "Meta API error", "first"), T0 + 1)),
                () -> writer.finish(failedFirst, new LogOutcome.Sent("mid-late", T0 + 2)));
        for (Runnable finish : inOrder) {
            int queuedBefore = writer.queued();
            finishes.add(Callers.start(() -> {
                finish.run();
                return null;
            }));
            Callers.awaitUntil("the finish is queued", () -> writer.queued() == queuedBefore + 1);
        }

        gate.release();

        filler.await();
        finishes.forEach(Callers.Caller::await);
        assertThat(gate.sizes()).as("the four finishes were one batch").endsWith(4);
        assertThat(witness.row(sentFirst).orElseThrow()).satisfies(row -> {
            assertThat(row.state()).isEqualTo("sent");
            assertThat(row.metaMessageId()).contains("mid-first");
        });
        assertThat(witness.row(failedFirst).orElseThrow()).satisfies(row -> {
            assertThat(row.state()).isEqualTo("failed");
            assertThat(row.metaMessageId()).isEmpty();
        });
    }

    @Test
    void writesReadBackAsThePlainWriterWritesThem() {
        LoggedError refusal = LoggedError.local(240, "Outside messaging window", "last inbound message is 25 h old");
        NewLogEntry refused = new NewLogEntry(account, line, LineClass.INSTAGRAM, "1254477777772919", "image",
                "https://cdn.example.com/a.jpg", Optional.of("crm-9"), Optional.of("HUMAN_AGENT"), Optional.of(refusal), T0);
        long batched = writer.append(refused).cdlsId();
        long plain = stores.log().append(refused).cdlsId();
        long batchedSent = writer.append(entry("crm-10")).cdlsId();
        long plainSent = stores.log().append(entry("crm-11")).cdlsId();
        writer.finish(batchedSent, new LogOutcome.Sent("mid", T0 + 7));
        stores.log().finish(plainSent, new LogOutcome.Sent("mid", T0 + 7));

        assertThat(stores.log().find(batched).orElseThrow())
                .usingRecursiveComparison().ignoringFields("id").isEqualTo(stores.log().find(plain).orElseThrow());
        assertThat(stores.log().find(batchedSent).orElseThrow())
                .usingRecursiveComparison().ignoringFields("id", "msgId").isEqualTo(stores.log().find(plainSent).orElseThrow());
    }
}
