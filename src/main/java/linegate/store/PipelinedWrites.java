package linegate.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A batch's writes on PostgreSQL, run as a few JDBC batches instead of one statement after another: the appends as
 * one, the finishes as one per outcome statement, the deliveries as one. pgjdbc sends each JDBC batch in one round
 * trip, where running the writes one by one waited a round trip for each. What each caller gets is what running its
 * write alone would have given:
 * <ul>
 *   <li>Appends keep their queue order among themselves, so of two appends of one msg_id in a batch the first holds
 *       it. An append and a finish never touch one row (a finish names a row committed by an earlier batch), so
 *       running appends before finishes changes nothing.</li>
 *   <li>Two finishes of one row in one batch would no longer run in their order: such a batch is left to the
 *       write-by-write path ({@link #applyTogether} answers false).</li>
 *   <li>A statement error cannot be told apart per write inside a JDBC batch: it fails the attempt, and the batch runs
 *       again write by write, where the error belongs to its own write ({@link BatchTransaction}).</li>
 * </ul>
 */
final class PipelinedWrites {
    private PipelinedWrites() {
    }

    /** Runs and settles every write of {@code writes} in {@code tx}; false (nothing run) when it must not. */
    static boolean applyTogether(Transaction tx, List<QueuedWrite<?>> writes) {
        List<QueuedWrite.Append> appends = new ArrayList<>();
        List<QueuedWrite.Finish> finishes = new ArrayList<>();
        List<QueuedWrite.Delivery> deliveries = new ArrayList<>();
        Set<Long> finished = new HashSet<>();
        for (QueuedWrite<?> w : writes) {
            switch (w) {
                case QueuedWrite.Append a -> appends.add(a);
                case QueuedWrite.Finish f -> {
                    if (!finished.add(f.id())) {
                        return false;
                    }
                    finishes.add(f);
                }
                case QueuedWrite.Delivery d -> deliveries.add(d);
                case QueuedWrite.Stop s -> throw new IllegalStateException("STOP is never written");
            }
        }
        if (!appends.isEmpty()) {
            List<Optional<MessageChange>> inserted = OutboundSql.insertAll(tx,
                    appends.stream().map(QueuedWrite.Append::entry).toList());
            for (int i = 0; i < appends.size(); i++) {
                appends.get(i).settle(appends.get(i).answer(inserted.get(i)));
            }
        }
        if (!finishes.isEmpty()) {
            List<List<MessageChange>> updated = OutboundSql.finishAll(tx,
                    finishes.stream().map(QueuedWrite.Finish::id).toList(),
                    finishes.stream().map(QueuedWrite.Finish::outcome).toList());
            for (int i = 0; i < finishes.size(); i++) {
                finishes.get(i).settle(QueuedWrite.Finish.answer(updated.get(i)));
            }
        }
        if (!deliveries.isEmpty()) {
            List<Long> ids = WebhookInbox.insertAll(tx, deliveries.stream().map(QueuedWrite.Delivery::body).toList(),
                    deliveries.stream().map(QueuedWrite.Delivery::receivedAtMillis).toList());
            for (int i = 0; i < deliveries.size(); i++) {
                deliveries.get(i).settle(QueuedWrite.Delivery.answer(ids.get(i)));
            }
        }
        return true;
    }
}
