package linegate.store;

import org.jdbi.v3.core.Handle;

import java.util.concurrent.CompletableFuture;

/**
 * One caller's write waiting for {@link BatchingMessageLogWriter}, with the future its caller waits on. Identity
 * matters (a caller withdraws its own write from the queue), so these are classes, not records.
 */
abstract sealed class QueuedWrite permits QueuedWrite.Append, QueuedWrite.Finish, QueuedWrite.Stop {
    /** Queued by close(): the writer stops once it has written everything queued before it. */
    static final QueuedWrite STOP = new Stop();

    private final long queuedAt = System.nanoTime();
    private final CompletableFuture<Long> result = new CompletableFuture<>();

    /** Runs the write's SQL in the batch's transaction; what its caller gets once that transaction has committed. */
    abstract Answer apply(Handle h);

    /** {@link System#nanoTime()} when the write was queued. */
    long queuedAt() {
        return queuedAt;
    }

    CompletableFuture<Long> result() {
        return result;
    }

    /** A write's answer, held back until its batch has committed. */
    sealed interface Answer {
        /** The append's new id, or 0 for a finish. */
        record Written(long value) implements Answer {
        }

        /** The database declined the write without an error (a msg_id held by a live attempt). */
        record Declined(RuntimeException reason) implements Answer {
        }
    }

    static final class Append extends QueuedWrite {
        private final NewLogEntry entry;

        Append(NewLogEntry entry) {
            this.entry = entry;
        }

        @Override
        Answer apply(Handle h) {
            return MessageLog.insert(h, entry)
                    .<Answer>map(Answer.Written::new)
                    .orElseGet(() -> new Answer.Declined(new MsgIdInUseException(entry.accountId(), entry.msgId().orElseThrow())));
        }
    }

    static final class Finish extends QueuedWrite {
        private final long id;
        private final LogOutcome outcome;

        Finish(long id, LogOutcome outcome) {
            this.id = id;
            this.outcome = outcome;
        }

        @Override
        Answer apply(Handle h) {
            MessageLog.finish(h, id, outcome);
            return new Answer.Written(0);
        }
    }

    static final class Stop extends QueuedWrite {
        @Override
        Answer apply(Handle h) {
            throw new IllegalStateException("STOP is never written");
        }
    }
}
