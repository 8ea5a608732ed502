package linegate;

import com.fasterxml.jackson.databind.JsonNode;
import linegate.testing.Gateway;
import linegate.testing.MetaStubs;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feed with several nodes and at the edges of a node's life: two nodes on one PostgreSQL writing one account's
 * events at once while a reader walks the feed; a stopping node answering its long polls at once; the bound on long
 * polls a node holds.
 */
class EventsFeedNodesTest {
    @TempDir
    Path tmp;

    private static Gateway.Response feed(Gateway node, String tsid, String query) {
        return node.get("/api/v2/Events.php?tsid=" + tsid + "&" + query);
    }

    private static void send(Gateway node, Gateway owner, String peer) {
        Gateway.Response r = node.postJson("/api/v2/MakeInstagram.php", owner.sendJson("\"dest\":\"" + peer
                + "\",\"mdata\":\"Your order has shipped\""));
        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
    }

    @Test
    void aWalkWhileTwoNodesWriteSeesEveryEventOnceInSeqOrder() throws Exception {
        Map<String, String> env = new HashMap<>(TestDb.POSTGRESQL.freshEnv(tmp));
        int perNode = 30;
        try (Gateway first = Gateway.start(env); Gateway second = Gateway.start(env);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Gateway node : List.of(first, second)) {
                MetaStubs.answers(node.meta(), MetaStubs.answer(200,
                        "{\"recipient_id\":\"1254477777772919\",\"message_id\":\"" + Webhooks.newIgMid() + "\"}"));
            }
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (Gateway node : List.of(first, second)) {
                for (int i = 0; i < perNode; i++) {
                    String peer = Webhooks.newId("12544");
                    writers.add(CompletableFuture.runAsync(() -> send(node, first, peer), threads));
                }
            }
            List<JsonNode> walked = new ArrayList<>();
            long after = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // one line.status besides the sends' events: both nodes see the line's first send taken, one records it
            int events = 2 * perNode + 1;
            for (int read = 0; walked.size() < events && System.nanoTime() < deadline; read++) {
                Gateway.Response r = feed(read % 2 == 0 ? first : second, first.tsid, "after=" + after + "&limit=7&wait=1");
                assertThat(r.status()).as(r.raw()).isEqualTo(200);
                r.ret().path("events").forEach(walked::add);
                after = r.ret().path("next").asLong();
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            List<Long> seqs = walked.stream().map(e -> e.path("seq").asLong()).toList();
            assertThat(seqs).as("every event once, in seq order, none skipped while the nodes wrote")
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events).boxed().toList());
            assertThat(walked).filteredOn(e -> e.path("type").asText().equals("line.status")).hasSize(1);
            Set<String> ids = new HashSet<>();
            walked.forEach(e -> ids.add(e.path("event_id").asText()));
            assertThat(ids).hasSize(events);
            assertThat(feed(second, first.tsid, "after=" + after).ret().path("events")).as("nothing was left behind").isEmpty();
        }
    }

    @Test
    void aStoppingNodeAnswersItsLongPollsAtOnce() throws Exception {
        Gateway gw = Gateway.start(TestDb.SQLITE, tmp);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Gateway.Response> poll = CompletableFuture.supplyAsync(
                    () -> feed(gw, gw.tsid, "after=0&wait=30"), threads);
            Thread.sleep(500); // the poll is waiting now
            assertThat(poll).isNotDone();

            long stopping = System.nanoTime();
            gw.close();

            assertThat(System.nanoTime() - stopping).as("the stop did not wait out the 30 s poll")
                    .isLessThan(TimeUnit.SECONDS.toNanos(10));
            Gateway.Response r = poll.get(5, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.ret().path("events")).isEmpty();
            assertThat(r.ret().path("next").asLong()).isZero();
        }
    }

    @Test
    void aNodeHoldsAtMostHalfItsRequestSlotsInLongPollsAndAnswersOneMore503() throws Exception {
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp, Map.of("LINEGATE_MAX_CONCURRENT_REQUESTS", "4"));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Gateway.Response>> polls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                polls.add(CompletableFuture.supplyAsync(() -> feed(gw, gw.tsid, "after=0&wait=30"), threads));
            }
            Thread.sleep(500); // both polls are waiting now

            Gateway.Response third = feed(gw, gw.tsid, "after=0&wait=30");

            assertThat(third.status()).isEqualTo(503);
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.ret().path("retry_after").asInt()).isEqualTo(1);
            assertThat(feed(gw, gw.tsid, "after=0").status()).as("a read without wait still has room").isEqualTo(200);
            MetaStubs.answers(gw.meta(), MetaStubs.answer(200, "{\"recipient_id\":\"1\",\"message_id\":\"m\"}"));
            send(gw, gw, "1254477777772919");
            for (CompletableFuture<Gateway.Response> poll : polls) {
                assertThat(poll.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        }
    }
}
