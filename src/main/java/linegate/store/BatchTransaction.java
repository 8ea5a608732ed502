package linegate.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes one batch of {@link QueuedWrite}s in one transaction and answers each caller once the outcome is known, never
 * before the commit.
 * <ul>
 *   <li>Each write runs through {@link MessageLog}, the table's owner, so its changes reach the owner's
 *       {@link ChangeRecorder} inside the batch's transaction; a recorder that throws fails its own write alone.</li>
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
        while (!left.isEmpty()) {
            try {
                log.inTransaction(tx -> {
                    for (int i = 0; i < left.size(); i++) {
                        apply(tx, left.get(i), i);
                    }
                    beforeCommit.run(tx.handle(), left.size());
                    return null;
                });
            } catch (OwnFailure f) {
                left.remove(f.index).fail(f.error);
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

    /** Unavailability of the database fails the batch; any other error belongs to this write alone. */
    private void apply(Transaction tx, QueuedWrite<?> w, int index) {
        try {
            w.apply(log, tx);
        } catch (RuntimeException e) {
            if (Database.isUnavailable(e)) {
                throw e;
            }
            throw new OwnFailure(index, e);
        }
    }

    static void failAll(List<QueuedWrite<?>> writes, RuntimeException e) {
        for (QueuedWrite<?> w : writes) {
            w.fail(e);
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
