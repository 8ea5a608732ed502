package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook deliveries through the group-commit writer, on both databases: a delivery's append returns (and Meta gets
 * its 200) only once its batch has committed; deliveries share batches with the message log's writes; a batch that
 * cannot commit answers every waiter with {@link StoreUnavailableException} (a 503, never a 200) and stores none.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class BatchedDeliveriesTest extends BatchingWriterFixture {
    private static byte[] body(String mid) {
        return ("{\"object\":\"instagram\",\"entry\":[{\"id\":\"17841400000000001\",\"time\":1764000000000,"
                + "\"messaging\":[{\"message\":{\"mid\":\"" + mid + "\",\"text\":\"Hello\"}}]}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private long storedDeliveries() {
        return StoreFixture.asLong(fx.one("SELECT COUNT(*) AS n FROM webhook_inbox").get("n"));
    }

    @Test
    void aDeliveryIsAnsweredOnlyOnceItsBatchHasCommitted() {
        gate.hold();
        Callers.Caller<Long> delivery = Callers.start(() -> writer.deliveries().append(body("m_1"), T0));
        assertThat(gate.awaitHeld()).as("its batch has run its insert and waits to commit").isEqualTo(1);

        Callers.awaitParkedOrDone(List.of(delivery));
        assertThat(delivery.outcome()).as("no answer before the commit").isNotDone();
        assertThat(storedDeliveries()).as("not committed yet").isZero();

        gate.release();
        long id = delivery.await();
        assertThat(fx.one("SELECT body FROM webhook_inbox WHERE id = ?", id).get("body")).asString().contains("m_1");
    }

    @Test
    void deliveriesAndSendsShareOneBatch() {
        List<Callers.Caller<Long>> callers = oneBatch(List.of(
                () -> writer.deliveries().append(body("m_1"), T0),
                () -> writer.append(entry("crm-1")).cdlsId(),
                () -> writer.deliveries().append(body("m_2"), T0),
                () -> writer.deliveries().append(body("m_3"), T0)));

        assertThat(gate.sizes()).endsWith(4);
        assertThat(callers).allSatisfy(c -> assertThat(c.await()).isPositive());
        assertThat(storedDeliveries()).isEqualTo(3);
        assertThat(witness.row(callers.get(1).await())).isPresent();
    }

    @Test
    void aBatchThatCannotCommitAnswersEveryDeliveryWithTheErrorAndStoresNone() {
        List<Callers.Caller<Long>> callers = oneBatchThatFailsAtCommit(List.of(
                () -> writer.deliveries().append(body("m_1"), T0),
                () -> writer.append(entry("doomed")).cdlsId(),
                () -> writer.deliveries().append(body("m_2"), T0)));

        assertThat(callers).allSatisfy(c -> assertThat(c.failure()).isInstanceOf(StoreUnavailableException.class));
        assertThat(storedDeliveries()).as("nothing of the failed batch is stored").isZero();
        assertThat(witness.count("msg_id = 'doomed'")).isZero();

        long next = writer.deliveries().append(body("m_3"), T0);
        assertThat(fx.one("SELECT body FROM webhook_inbox WHERE id = ?", next).get("body")).asString().contains("m_3");
    }

    /** Holds the writer on a batch of its own, queues the writes in order, and lets them run as the next batch. */
    private List<Callers.Caller<Long>> oneBatch(List<Supplier<Long>> writes) {
        gate.hold();
        Callers.Caller<Long> filler = Callers.start(() -> writer.append(entry(null)).cdlsId());
        gate.awaitHeld();
        List<Callers.Caller<Long>> callers = new ArrayList<>();
        for (Supplier<Long> write : writes) {
            int before = writer.queued();
            callers.add(Callers.start(write));
            Callers.awaitUntil("the write is queued", () -> writer.queued() == before + 1);
        }
        gate.release();
        filler.await();
        callers.forEach(c -> c.outcome().exceptionally(e -> null).join());
        return callers;
    }

    /** As {@link #oneBatch}, with the batch's COMMIT made to fail (as in BatchingMessageLogWriterFailureTest). */
    private List<Callers.Caller<Long>> oneBatchThatFailsAtCommit(List<Supplier<Long>> writes) {
        gate.hold();
        Callers.Caller<Long> filler = Callers.start(() -> writer.append(entry(null)).cdlsId());
        gate.awaitHeld();
        List<Callers.Caller<Long>> callers = new ArrayList<>();
        for (Supplier<Long> write : writes) {
            int before = writer.queued();
            callers.add(Callers.start(write));
            Callers.awaitUntil("the write is queued", () -> writer.queued() == before + 1);
        }
        gate.onNextBatch(h -> {
            if (db == TestDb.SQLITE) {
                // a foreign key violation whose check SQLite defers to the COMMIT, which then fails
                h.execute("PRAGMA defer_foreign_keys = ON");
                h.execute("INSERT INTO api_tokens (account_id, token_hash, created_at) VALUES (987654321, 'orphan', 0)");
            } else {
                // the connection is gone when the COMMIT is sent
                witness.terminatePostgresBackend(h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one());
            }
        });
        gate.release();
        filler.await();
        callers.forEach(c -> c.outcome().exceptionally(e -> null).join());
        assertThat(gate.sizes()).endsWith(writes.size());
        return callers;
    }
}
