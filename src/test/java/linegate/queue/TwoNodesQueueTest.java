package linegate.queue;

import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Postgres;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one PostgreSQL database, each with its own Meta (WireMock), both taking queued sends from the one
 * queue: every queued send reaches Meta exactly once, through one node or the other, and each conversation's in order.
 */
class TwoNodesQueueTest {
    private static final int PEERS = 8;
    private static final int PER_PEER = 6;

    @Test
    void everyQueuedSendIsSentExactlyOnceByOneOfTheNodesInOrderPerConversation() {
        Map<String, String> env = new HashMap<>(Map.of("LINEGATE_DB_URL", Postgres.freshDatabaseUrl(),
                "LINEGATE_DB_USER", "postgres", "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY));
        try (Gateway a = Gateway.start(env); Gateway b = Gateway.start(env)) {
            for (Gateway node : List.of(a, b)) {
                MetaStubs.answersAfter(node.meta(), Duration.ofMillis(30), 200, MetaSamples.read("ig-send-success.doc.json"));
            }
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < PER_PEER; i++) {
                for (int p = 0; p < PEERS; p++) {
                    // half through each node's API, all onto node a's line: the queue is the database's, not a node's
                    Gateway via = (i + p) % 2 == 0 ? a : b;
                    ids.add(queueOn(via, a, peer(p), "m" + p + "-" + i));
                }
            }
            ids.forEach(id -> Webhooks.await("row " + id + " sent", () -> a.stores().log().find(id)
                    .filter(r -> r.state() == LogState.SENT), Duration.ofSeconds(60)));

            List<QueuedSends.Received> viaA = QueuedSends.received(a.meta());
            List<QueuedSends.Received> viaB = QueuedSends.received(b.meta());
            List<QueuedSends.Received> all = new ArrayList<>(viaA);
            all.addAll(viaB);
            Map<String, Long> times = all.stream().collect(Collectors.groupingBy(QueuedSends.Received::text,
                    Collectors.counting()));
            assertThat(times).as("every send reached Meta").hasSize(PEERS * PER_PEER);
            assertThat(times.values()).as("each exactly once").containsOnly(1L);
            assertThat(viaA).as("node a sent some").isNotEmpty();
            assertThat(viaB).as("node b sent some").isNotEmpty();
            all.sort(java.util.Comparator.comparingLong(QueuedSends.Received::atMillis));
            for (int p = 0; p < PEERS; p++) {
                String dest = peer(p);
                List<String> order = all.stream().filter(r -> r.dest().equals(dest)).map(QueuedSends.Received::text).toList();
                int peerIndex = p;
                assertThat(order).as("conversation %s in order across both nodes", dest).containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, PER_PEER).mapToObj(i -> "m" + peerIndex + "-" + i).toList());
            }
        }
    }

    private static String peer(int p) {
        return Long.toString(1254477777772900L + p);
    }

    /** A queued send through {@code via}'s API on {@code owner}'s line and token. */
    private static long queueOn(Gateway via, Gateway owner, String dest, String text) {
        Gateway.Response r = via.postJson("/api/v2/MakeInstagram.php", owner.sendJson("\"dest\":\"" + dest
                + "\",\"mdata\":\"" + text + "\",\"async\":1"));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        return r.ret().path("cdls_id").asLong();
    }
}
