package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Interrupts and shutdown leave no caller without a definite answer: an interrupted caller learns whether its write
 * was made, and close() commits what is queued, refuses what comes after, and stops the writer thread.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class BatchingMessageLogWriterLifecycleTest extends BatchingWriterFixture {
    /** An append on its own virtual thread that reports, besides its outcome, whether it ended still interrupted. */
    Callers.Caller<Long> appendNoting(String msgId, AtomicBoolean interruptedAfter) {
        return Callers.start(() -> {
            try {
                return writer.append(entry(msgId)).cdlsId();
            } finally {
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            }
        });
    }

    @Test
    void anInterruptedCallerWhoseWriteWasStillQueuedIsAnswered503AndNothingIsWritten() {
        gate.hold();
        Callers.Caller<Long> filler = Callers.start(() -> writer.append(entry(null)).cdlsId());
        gate.awaitHeld();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Callers.Caller<Long> caller = appendNoting("crm-interrupted", interruptedAfter);
        Callers.awaitUntil("the write is queued", () -> writer.queued() == 1);

        caller.thread().interrupt();

        assertThat(caller.failure()).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("nothing was written");
        assertThat(interruptedAfter).as("the interrupt status is kept").isTrue();
        assertThat(writer.queued()).as("the write was withdrawn").isZero();
        gate.release();
        assertThat(witness.row(filler.await())).isPresent();
        assertThat(witness.count("msg_id = 'crm-interrupted'")).isZero();
    }

    @Test
    void anInterruptedCallerWhoseBatchIsRunningWaitsForItsCommit() {
        gate.hold();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Callers.Caller<Long> caller = appendNoting("crm-running", interruptedAfter);
        gate.awaitHeld();

        caller.thread().interrupt();
        // the caller has taken the interrupt (Future.get threw and cleared it) and waits again
        Callers.awaitUntil("the interrupt is taken", () -> !caller.thread().isInterrupted());
        Callers.awaitParkedOrDone(List.of(caller));
        assertThat(caller.outcome()).as("no answer before the commit").isNotDone();
        gate.release();

        long id = caller.await();
        assertThat(interruptedAfter).as("the interrupt status is kept").isTrue();
        assertThat(witness.row(id).orElseThrow().msgId()).contains("crm-running");
    }

    @Test
    void closeCommitsWhatIsQueuedRefusesWhatComesAfterAndStopsTheWriterThread() throws Exception {
        gate.hold();
        Callers.Caller<Long> running = Callers.start(() -> writer.append(entry("running")).cdlsId());
        gate.awaitHeld();
        List<Callers.Caller<Long>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            queued.add(Callers.start(() -> writer.append(entry("queued-" + n)).cdlsId()));
        }
        Callers.awaitUntil("10 writes are queued", () -> writer.queued() == 10);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(writer::close);
        Callers.awaitUntil("close has begun", () -> writer.queued() == 11); // the 10 and close's stop mark
        Throwable late = catchThrowable(() -> writer.append(entry("late")).cdlsId());
        gate.release();
        closing.get(30, TimeUnit.SECONDS);

        assertThat(late).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("stopped");
        assertThat(witness.row(running.await())).isPresent();
        for (Callers.Caller<Long> c : queued) {
            assertThat(witness.row(c.await())).as("a write queued before close is committed").isPresent();
        }
        assertThat(witness.count("msg_id = 'late'")).isZero();
        assertThat(writer.running()).as("the writer thread has ended").isFalse();
        assertThat(catchThrowable(() -> writer.finish(1, new LogOutcome.Sent("mid", T0))))
                .isInstanceOf(StoreUnavailableException.class);
    }
}
