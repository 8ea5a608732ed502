package linegate.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue's statements on both databases: only a conversation's head is due, the rows behind it wait unscheduled
 * until it is final, a claim takes a row once, a retry keeps the head, and a conversation whose head was ended
 * elsewhere (a sweep) is repaired.
 */
class SendQueueTest extends StoreTestBase {
    private static final String A = "1254477777772919";
    private static final String B = "6254477777772911";
    private static final long NODE = 42;
    private long line;

    @BeforeEach
    void line() {
        line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken("EAAGsendQueueTestToken0123")), Optional.of("17841405793187218"),
                Optional.empty(), true, false));
    }

    private long queue(String peer, String text, long at) {
        return stores.log().append(new NewLogEntry(account, line, LineClass.INSTAGRAM, peer, "text", text,
                Optional.empty(), Optional.empty(), Optional.empty(), at).queuedFor("h-" + text)).cdlsId();
    }

    private LogRow row(long id) {
        return stores.log().find(id).orElseThrow();
    }

    @Test
    void onlyEachConversationsHeadIsDueAndTheRowsBehindItWaitUnscheduled() {
        long a1 = queue(A, "a1", 1000);
        long a2 = queue(A, "a2", 1001);
        long b1 = queue(B, "b1", 1002);
        long a3 = queue(A, "a3", 1003);

        assertThat(stores.queue().dueHeads(5000, 100)).extracting(LogRow::id).containsExactly(a1, b1);
        assertThat(row(a1).nextAttemptAt()).contains(1000L);
        assertThat(row(a2).nextAttemptAt()).isEmpty();
        assertThat(row(a3).nextAttemptAt()).isEmpty();
        assertThat(stores.queue().dueHeads(1000, 100)).as("b1 is not due before its time").extracting(LogRow::id)
                .containsExactly(a1);
    }

    @Test
    void aClaimTakesARowOnceAndTheNextBecomesDueOnlyWhenItIsFinal() {
        long a1 = queue(A, "a1", 1000);
        long a2 = queue(A, "a2", 1001);

        List<LogRow> claimed = stores.queue().claim(List.of(a1), NODE, 2000);
        List<LogRow> again = stores.queue().claim(List.of(a1), NODE + 1, 2001);

        assertThat(claimed).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(LogState.ACCEPTED);
            assertThat(r.attempts()).contains(1);
        });
        assertThat(again).as("claimed already").isEmpty();
        assertThat(stores.queue().dueHeads(5000, 100)).as("a1 in flight: a2 waits").isEmpty();
        assertThat(row(a2).nextAttemptAt()).isEmpty();

        stores.log().finish(a1, new LogOutcome.Sent("aWdf1", 2003));

        assertThat(stores.queue().dueHeads(5000, 100)).as("due in a1's own finish").extracting(LogRow::id)
                .containsExactly(a2);
        assertThat(row(a2).nextAttemptAt()).contains(2003L);
    }

    @Test
    void aRetryPutsTheHeadBackForLaterAndTheRowsBehindItKeepWaiting() {
        long a1 = queue(A, "a1", 1000);
        long a2 = queue(A, "a2", 1001);
        stores.queue().claim(List.of(a1), NODE, 2000);

        assertThat(stores.queue().requeue(a1, NODE + 1, 9000, "not this node's", 2001)).isFalse();
        assertThat(stores.queue().requeue(a1, NODE, 9000, "Meta answered code 2", 2001)).isTrue();

        assertThat(row(a1).state()).isEqualTo(LogState.QUEUED);
        assertThat(row(a1).retryReason()).contains("Meta answered code 2");
        assertThat(stores.queue().dueHeads(8999, 100)).isEmpty();
        assertThat(stores.queue().dueHeads(9000, 100)).extracting(LogRow::id).containsExactly(a1);
        assertThat(stores.queue().claim(List.of(a1), NODE, 8999)).as("not due yet").isEmpty();
        assertThat(row(a2).nextAttemptAt()).isEmpty();
    }

    @Test
    void aConversationWhoseHeadASweepEndedIsRepaired() {
        long a1 = queue(A, "a1", 1000);
        long a2 = queue(A, "a2", 1001);
        stores.queue().claim(List.of(a1), NODE, 2000);
        stores.log().markAbandonedAsUnknown(3000, 3000, NODE, List.of());
        assertThat(row(a1).state()).isEqualTo(LogState.UNKNOWN);
        assertThat(stores.queue().dueHeads(5000, 100)).as("stranded until the repair").isEmpty();

        assertThat(stores.queue().promoteStranded(4000)).isEqualTo(1);

        assertThat(stores.queue().dueHeads(5000, 100)).extracting(LogRow::id).containsExactly(a2);
    }

    @Test
    void cancelAndExpiryFailQueuedRowsWithTheirEventsAndMakeTheNextDue() {
        long a1 = queue(A, "a1", 1000);
        long a2 = queue(A, "a2", 1001);
        long b1 = queue(B, "b1", 5000);

        assertThat(stores.queue().cancel(a1, 2000)).hasValueSatisfying(c -> assertThat(c.kind())
                .isEqualTo(MessageChange.Kind.FAILED));
        assertThat(stores.queue().cancel(a1, 2001)).as("not queued any more").isEmpty();
        assertThat(row(a1).error().orElseThrow().statusCode()).isEqualTo(263);
        assertThat(row(a2).nextAttemptAt()).as("made due in the cancel's transaction").contains(2000L);

        assertThat(stores.queue().expire(3000, "not sent within PT1S", 3000)).extracting(MessageChange::cdlsId)
                .containsExactly(a2);
        assertThat(row(a2).error().orElseThrow().statusCode()).isEqualTo(262);
        assertThat(row(b1).state()).isEqualTo(LogState.QUEUED);
        assertThat(fx.query("SELECT state FROM events WHERE cdls_id IN (" + a1 + ", " + a2 + ") ORDER BY seq"))
                .extracting(r -> r.get("state")).containsExactly("failed", "failed");
    }

    @Test
    void finishesInOneGroupCommitBatchMakeEachConversationsNextDueInThatTransaction() throws Exception {
        long a1 = queue(A, "a1", 1000);
        long a2 = queue(A, "a2", 1001);
        long b1 = queue(B, "b1", 1002);
        long b2 = queue(B, "b2", 1003);
        stores.queue().claim(List.of(a1, b1), NODE, 2000);
        List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();

        // both finishes wait for each other (batch of 2, up to 20 s): one transaction, pipelined on PostgreSQL
        try (BatchingMessageLogWriter writer = new BatchingMessageLogWriter(stores.log(), 2, Duration.ofSeconds(20),
                (h, size) -> batchSizes.add(size));
             var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var first = threads.submit(() -> writer.finish(a1, new LogOutcome.Sent("aWdf1", 3000)));
            var second = threads.submit(() -> writer.finish(b1, new LogOutcome.Failed(
                    LoggedError.local(290, "Meta API error", "refused"), 3001)));
            assertThat(first.get()).hasSize(1);
            assertThat(second.get()).hasSize(1);
        }

        assertThat(batchSizes).containsExactly(2);
        assertThat(row(a2).nextAttemptAt()).contains(3000L);
        assertThat(row(b2).nextAttemptAt()).contains(3001L);
        assertThat(stores.queue().dueHeads(5000, 100)).extracting(LogRow::id).containsExactly(a2, b2);
    }
}
