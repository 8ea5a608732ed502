package linegate.store;

import linegate.testing.TestDb;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A failure reaches exactly the callers it concerns, on SQLite and PostgreSQL: a write the database refuses fails only
 * its own caller while the rest of its batch commits; a batch that cannot commit fails every caller in it with
 * {@link StoreUnavailableException} (503), writes none of its rows, and the next batch commits normally.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class BatchingMessageLogWriterFailureTest extends BatchingWriterFixture {
    /**
     * Holds the writer on a batch of its own, queues {@code writes} one after another (so their order is known), then
     * lets them run as the next batch, which is given {@code toNextBatch} first. Returns the callers in queue order.
     */
    <T> List<Callers.Caller<T>> oneBatch(List<Supplier<T>> writes, Consumer<Handle> toNextBatch) {
        gate.hold();
        Callers.Caller<Long> filler = Callers.start(() -> writer.append(entry(null)).cdlsId());
        gate.awaitHeld();
        List<Callers.Caller<T>> callers = new ArrayList<>();
        for (Supplier<T> write : writes) {
            int before = writer.queued();
            callers.add(Callers.start(write));
            Callers.awaitUntil("the write is queued", () -> writer.queued() == before + 1);
        }
        gate.onNextBatch(toNextBatch);
        gate.release();
        assertThat(witness.row(filler.await())).as("the batch before commits").isPresent();
        callers.forEach(c -> c.outcome().exceptionally(e -> null).join());
        return callers;
    }

    @Test
    void aMsgIdConflictInTheMiddleOfABatchFailsOnlyThatAppend() {
        long holder = writer.append(entry("crm-held")).cdlsId();

        List<Callers.Caller<Long>> callers = oneBatch(List.of(
                () -> writer.append(entry(null)).cdlsId(),
                () -> writer.append(entry("crm-new")).cdlsId(),
                () -> writer.append(entry("crm-new")).cdlsId(),   // held by the write just before it, in this batch
                () -> writer.append(entry("crm-held")).cdlsId(),  // held by a committed row
                () -> writer.append(entry("crm-other")).cdlsId()), h -> { });

        assertThat(gate.sizes()).as("one transaction for the five, conflicts included").endsWith(5);
        assertThat(callers.get(2).failure()).isInstanceOf(MsgIdInUseException.class).hasMessageContaining("crm-new");
        assertThat(callers.get(3).failure()).isInstanceOf(MsgIdInUseException.class).hasMessageContaining("crm-held");
        for (int i : new int[] {0, 1, 4}) {
            assertThat(witness.row(callers.get(i).await())).as("write %d committed", i).isPresent();
        }
        assertThat(witness.count("msg_id = ?", "crm-new")).isEqualTo(1);
        assertThat(witness.count("msg_id = ?", "crm-held")).isEqualTo(1);
        assertThat(witness.row(holder)).isPresent();
    }

    @Test
    void anyOtherStatementErrorFailsOnlyItsCallerAsThePlainWriterWould() {
        long noSuchLine = line + 1_000;
        Throwable plain = catchThrowable(() -> stores.log().append(entry(noSuchLine, "plain")).cdlsId());
        assertThat(plain).as("the plain writer's answer").isInstanceOf(JdbiException.class)
                .isNotInstanceOf(StoreUnavailableException.class);

        List<Callers.Caller<Long>> callers = oneBatch(List.of(
                () -> writer.append(entry("before")).cdlsId(),
                () -> writer.append(entry(noSuchLine, "orphan")).cdlsId(),
                () -> writer.append(entry("after")).cdlsId()), h -> { });

        assertThat(callers.get(1).failure()).isInstanceOf(plain.getClass());
        assertThat(gate.sizes()).as("the two others committed in a transaction of their own").endsWith(2);
        assertThat(witness.row(callers.get(0).await())).isPresent();
        assertThat(witness.row(callers.get(2).await())).isPresent();
        assertThat(witness.count("msg_id = 'orphan'")).isZero();
    }

    @Test
    void aBatchWhoseCommitFailsAnswersEveryCaller503AndWritesNothing() {
        AtomicBoolean armed = new AtomicBoolean();
        assertFailsAsAWholeThenRecovers(h -> {
            if (db == TestDb.SQLITE) {
                // a foreign key violation whose check SQLite defers to the COMMIT, which then fails
                h.execute("PRAGMA defer_foreign_keys = ON");
                h.execute("INSERT INTO api_tokens (account_id, token_hash, created_at) VALUES (987654321, 'orphan', 0)");
            } else {
                // the connection is gone when the COMMIT is sent
                witness.terminatePostgresBackend(h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one());
            }
            armed.set(true);
        });
        assertThat(armed).as("the batch reached its COMMIT").isTrue();
    }

    @Test
    void aBatchThatFailsBeforeItsCommitAnswersEveryCaller503AndWritesNothing() {
        assertFailsAsAWholeThenRecovers(h -> {
            throw new IllegalStateException("a bug inside the batch");
        });
    }

    private void assertFailsAsAWholeThenRecovers(Consumer<Handle> breakIt) {
        long toFinish = writer.append(entry("to-finish")).cdlsId();
        long held = writer.append(entry("crm-held")).cdlsId();

        List<Callers.Caller<Long>> callers = oneBatch(List.of(
                () -> writer.append(entry("doomed-1")).cdlsId(),
                () -> writer.append(entry("doomed-2")).cdlsId(),
                () -> {
                    writer.finish(toFinish, new LogOutcome.Sent("mid-doomed", T0 + 1));
                    return 0L;
                },
                () -> writer.append(entry("crm-held")).cdlsId(), // refused on its own, but its batch failed: 503 as well
                () -> writer.append(entry("doomed-3")).cdlsId()), breakIt);

        assertThat(gate.sizes()).endsWith(5);
        assertThat(callers).allSatisfy(c -> assertThat(c.failure()).isInstanceOf(StoreUnavailableException.class));
        assertThat(witness.count("msg_id LIKE 'doomed-%'")).as("nothing of the failed batch is written").isZero();
        assertThat(witness.row(toFinish).orElseThrow().state()).isEqualTo("accepted");

        long next = writer.append(entry("next")).cdlsId();
        writer.finish(toFinish, new LogOutcome.Sent("mid-next", T0 + 2));
        assertThat(witness.row(next)).as("the next batch commits").isPresent();
        assertThat(witness.row(toFinish).orElseThrow().metaMessageId()).contains("mid-next");
        assertThat(witness.row(held)).isPresent();
    }

    @Test
    void aClosedDatabaseAnswers503() {
        long before = writer.append(entry("before")).cdlsId();
        stores.db().close();

        assertThat(catchThrowable(() -> writer.append(entry("after")).cdlsId())).isInstanceOf(StoreUnavailableException.class);
        assertThat(catchThrowable(() -> writer.finish(before, new LogOutcome.Sent("mid", T0))))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(witness.row(before).orElseThrow().state()).isEqualTo("accepted");
    }
}
