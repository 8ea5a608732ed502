package linegate.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes one batch of {@link QueuedWrite}s in one transaction and answers each caller once the outcome is known, never
 * before the commit.
 * <ul>
 *   <li>Each write runs through its table's owner ({@link MessageLog}, {@link WebhookInbox}) on statements prepared
 *       once for the batch ({@link Transaction#prepared}). The message-log changes of the whole batch reach the
 *       owner's {@link ChangeRecorder} together, once the writes have run, inside the batch's transaction (the
 *       outbox then raises each account's seq once per batch). A recorder that refuses them makes the batch run
 *       again with each write's changes recorded at once, so that the refusal fails that write alone. On PostgreSQL
 *       the writes run as JDBC batches, a round trip for many ({@link PipelinedWrites}).</li>
 *   <li>A {@code msg_id} held by a live attempt is no error: the insert does nothing ({@link OutboundSql#insert}), the
 *       caller gets {@link MsgIdInUseException}, and the rest of the batch is not disturbed.</li>
 *   <li>Any other statement error belongs to its write alone: that caller gets the error the plain writer would have
 *       thrown, and the rest of the batch runs again in a new transaction (on PostgreSQL the failed statement has
 *       spoilt the first). A savepoint per write would avoid the rerun, at two more round trips for every write:
 *       measured, that nearly halved PostgreSQL's batched throughput, to pay for a case that is a bug.</li>
 *   <li>If the transaction cannot commit (connection lost, COMMIT refused, database unavailable), nothing of it is
 *       written and every caller in it gets {@link StoreUnavailableException}, even one whose append was declined: the
 *       write that held its msg_id may be among those rolled back.</li>
 * </ul>
 */
final class BatchTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(BatchTransaction.class);

    private final MessageLog log;
    private final boolean pipelined;
    private final BatchingMessageLogWriter.BeforeCommit beforeCommit;

    /** {@code pipelined}: run the writes as JDBC batches ({@link PipelinedWrites}; PostgreSQL). */
    BatchTransaction(MessageLog log, boolean pipelined, BatchingMessageLogWriter.BeforeCommit beforeCommit) {
        this.log = log;
        this.pipelined = pipelined;
        this.beforeCommit = beforeCommit;
    }

    /** Writes and answers the batch; the number of writes in the transaction that committed, 0 if none did. */
    int write(List<QueuedWrite<?>> batch) {
        List<QueuedWrite<?>> left = new ArrayList<>(batch);
        boolean oneByOne = false;
        while (!left.isEmpty()) {
            boolean each = oneByOne;
            try {
                log.inTransaction(tx -> {
                    List<MessageChange> changes = new ArrayList<>();
                    if (!each && pipelined && together(() -> PipelinedWrites.applyTogether(tx, left))) {
                        left.forEach(w -> changes.addAll(w.changes()));
                    } else {
                        for (int i = 0; i < left.size(); i++) {
                            apply(tx, left.get(i), i, each, changes);
                        }
                    }
                    if (!each) {
                        together(() -> {
                            log.record(tx, changes);
                            return true;
                        });
                    }
                    beforeCommit.run(tx.handle(), left.size());
                    return null;
                });
            } catch (OwnFailure f) {
                left.remove(f.index).fail(f.error);
                continue;
            } catch (TogetherFailure f) {
                LOG.debug("message log: a batch of {} writes failed when run together; running them one by one: {}",
                        left.size(), Database.rootMessage(f.getCause()));
                oneByOne = true;
                continue;
            } catch (RuntimeException e) {
                LOG.warn("message log: a batch of {} writes was not committed, each caller is answered 503: {}",
                        left.size(), Database.rootMessage(e));
                failAll(left, e instanceof StoreUnavailableException s ? s : new StoreUnavailableException(
                        "the message log batch was not committed: " + Database.rootMessage(e), e));
                return 0;
            }
            left.forEach(QueuedWrite::answer);
            return left.size();
        }
        return 0;
    }

    /**
     * Unavailability of the database fails the batch; any other error belongs to this write alone. With
     * {@code recordEach} its changes are recorded at once, so a recorder's refusal is its own too; otherwise they are
     * collected, to be recorded together.
     */
    private void apply(Transaction tx, QueuedWrite<?> w, int index, boolean recordEach, List<MessageChange> changes) {
        try {
            w.apply(log, tx);
            if (recordEach) {
                log.record(tx, w.changes());
            } else {
                changes.addAll(w.changes());
            }
        } catch (RuntimeException e) {
            if (Database.isUnavailable(e)) {
                throw e;
            }
            throw new OwnFailure(index, e);
        }
    }

    /**
     * Work for several writes at once (their statements as JDBC batches, or all their changes recorded in one go):
     * unavailability fails the batch; any other error is nobody's in particular, and the batch runs again one by one.
     */
    private static boolean together(Supplier<Boolean> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (Database.isUnavailable(e)) {
                throw e;
            }
            throw new TogetherFailure(e);
        }
    }

    static void failAll(List<QueuedWrite<?>> writes, RuntimeException e) {
        for (QueuedWrite<?> w : writes) {
            w.fail(e);
        }
    }

    /** Writes run or recorded together failed: run the batch again one by one, recording each write's changes at once. */
    private static final class TogetherFailure extends RuntimeException {
        TogetherFailure(RuntimeException cause) {
            super(null, cause, false, false);
        }
    }

    /** A write's own statement error, carried out of the transaction, which it rolls back. */
    private static final class OwnFailure extends RuntimeException {
        final int index;
        final transient RuntimeException error;

        OwnFailure(int index, RuntimeException error) {
            super(null, null, false, false);
            this.index = index;
            this.error = error;
        }
    }
}
