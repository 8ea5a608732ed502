package linegate.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One caller's write waiting for {@link BatchingMessageLogWriter} (a message-log append or finish, or a webhook
 * delivery for the inbox), with the future its caller waits on. Identity
 * matters (a caller withdraws its own write from the queue), so these are classes, not records. Only the writer thread
 * runs and answers a write.
 */
abstract sealed class QueuedWrite<T> permits QueuedWrite.Append, QueuedWrite.Finish, QueuedWrite.Delivery, QueuedWrite.Stop {
    /** Queued by close(): the writer stops once it has written everything queued before it. */
    static final QueuedWrite<Void> STOP = new Stop();

    private final long queuedAt = System.nanoTime();
    private final CompletableFuture<T> result = new CompletableFuture<>();
    /** What the last run of the write in a transaction gives its caller once that transaction has committed. */
    private Answer<T> pending;

    /**
     * Runs the write's SQL, through its table's owner, in the batch's transaction; the changes it made are not yet
     * recorded ({@link #changes}).
     */
    abstract Answer<T> run(MessageLog log, Transaction tx);

    final void apply(MessageLog log, Transaction tx) {
        pending = run(log, tx);
    }

    /** What a run of the write together with others ({@link PipelinedWrites}) gives its caller after the commit. */
    final void settle(Answer<T> answer) {
        pending = answer;
    }

    /** The message-log changes of the last {@link #apply}, for the batch to record in its transaction. */
    final List<MessageChange> changes() {
        return pending instanceof Answer.Written<T> w ? w.changes() : List.of();
    }

    /** Once the transaction of the last {@link #apply} has committed: gives the caller its answer. */
    final void answer() {
        switch (pending) {
            case Answer.Written<T> w -> result.complete(w.value());
            case Answer.Declined<T> d -> result.completeExceptionally(d.reason());
        }
    }

    final void fail(Throwable e) {
        result.completeExceptionally(e);
    }

    /** {@link System#nanoTime()} when the write was queued. */
    long queuedAt() {
        return queuedAt;
    }

    CompletableFuture<T> result() {
        return result;
    }

    /** A write's answer, held back until its batch has committed. */
    sealed interface Answer<T> {
        record Written<T>(T value, List<MessageChange> changes) implements Answer<T> {
        }

        /** The database declined the write without an error (a msg_id held by a live attempt). */
        record Declined<T>(RuntimeException reason) implements Answer<T> {
        }
    }

    static final class Append extends QueuedWrite<MessageChange> {
        private final NewLogEntry entry;

        Append(NewLogEntry entry) {
            this.entry = entry;
        }

        NewLogEntry entry() {
            return entry;
        }

        @Override
        Answer<MessageChange> run(MessageLog log, Transaction tx) {
            return answer(log.insert(tx, entry));
        }

        Answer<MessageChange> answer(Optional<MessageChange> inserted) {
            return inserted
                    .<Answer<MessageChange>>map(change -> new Answer.Written<>(change, List.of(change)))
                    .orElseGet(() -> new Answer.Declined<>(new MsgIdInUseException(entry.accountId(), entry.msgId().orElseThrow())));
        }
    }

    static final class Finish extends QueuedWrite<List<MessageChange>> {
        private final long id;
        private final LogOutcome outcome;

        Finish(long id, LogOutcome outcome) {
            this.id = id;
            this.outcome = outcome;
        }

        long id() {
            return id;
        }

        LogOutcome outcome() {
            return outcome;
        }

        @Override
        Answer<List<MessageChange>> run(MessageLog log, Transaction tx) {
            return answer(log.update(tx, id, outcome));
        }

        static Answer<List<MessageChange>> answer(List<MessageChange> changes) {
            return new Answer.Written<>(changes, changes);
        }
    }

    /** A webhook delivery for {@link WebhookInbox}: its row id once committed. No message-log change. */
    static final class Delivery extends QueuedWrite<Long> {
        private final byte[] body;
        private final long receivedAtMillis;

        Delivery(byte[] body, long receivedAtMillis) {
            this.body = body;
            this.receivedAtMillis = receivedAtMillis;
        }

        byte[] body() {
            return body;
        }

        long receivedAtMillis() {
            return receivedAtMillis;
        }

        @Override
        Answer<Long> run(MessageLog log, Transaction tx) {
            return answer(WebhookInbox.insert(tx, body, receivedAtMillis));
        }

        static Answer<Long> answer(long id) {
            return new Answer.Written<>(id, List.of());
        }
    }

    static final class Stop extends QueuedWrite<Void> {
        @Override
        Answer<Void> run(MessageLog log, Transaction tx) {
            throw new IllegalStateException("STOP is never written");
        }
    }
}
