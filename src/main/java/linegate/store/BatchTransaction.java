package linegate.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes one batch of {@link QueuedWrite}s in one transaction and answers each caller once the outcome is known, never
 * before the commit.
 * <ul>
 *   <li>Each write runs through its table's owner ({@link MessageLog}, {@link WebhookInbox}) on statements prepared
 *       once for the batch ({@link Transaction#prepared}). The message-log changes of the whole batch reach the
 *       owner's {@link ChangeRecorder} together, once the writes have run, inside the batch's transaction (the
 *       outbox then raises each account's seq once per batch). A recorder that refuses them makes the batch run
 *       again with each write's changes recorded at once, so that the refusal fails that write alone.</li>
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
    private final BatchingMessageLogWriter.BeforeCommit beforeCommit;

    BatchTransaction(MessageLog log, BatchingMessageLogWriter.BeforeCommit beforeCommit) {
        this.log = log;
        this.beforeCommit = beforeCommit;
    }

    /** Writes and answers the batch; the number of writes in the transaction that committed, 0 if none did. */
    int write(List<QueuedWrite<?>> batch) {
        List<QueuedWrite<?>> left = new ArrayList<>(batch);
        boolean recordEach = false;
        while (!left.isEmpty()) {
            boolean each = recordEach;
            try {
                log.inTransaction(tx -> {
                    List<MessageChange> changes = new ArrayList<>();
                    for (int i = 0; i < left.size(); i++) {
                        apply(tx, left.get(i), i, each, changes);
                    }
                    if (!each) {
                        recordTogether(tx, changes);
                    }
                    beforeCommit.run(tx.handle(), left.size());
                    return null;
                });
            } catch (OwnFailure f) {
                left.remove(f.index).fail(f.error);
                continue;
            } catch (RecordingFailure f) {
                LOG.debug("message log: the recorder refused a change of a batch of {}; finding whose: {}",
                        left.size(), Database.rootMessage(f.getCause()));
                recordEach = true;
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
     * kept for {@link #recordTogether}.
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

    /** All the batch's changes in one go (the outbox: one seq raise per account); a refusal is nobody's in particular. */
    private void recordTogether(Transaction tx, List<MessageChange> changes) {
        try {
            log.record(tx, changes);
        } catch (RuntimeException e) {
            if (Database.isUnavailable(e)) {
                throw e;
            }
            throw new RecordingFailure(e);
        }
    }

    static void failAll(List<QueuedWrite<?>> writes, RuntimeException e) {
        for (QueuedWrite<?> w : writes) {
            w.fail(e);
        }
    }

    /** The recorder refused the batch's changes taken together: run the batch again, recording each write's at once. */
    private static final class RecordingFailure extends RuntimeException {
        RecordingFailure(RuntimeException cause) {
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
