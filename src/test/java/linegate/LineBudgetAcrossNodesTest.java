package linegate;

import linegate.store.LineChanges;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract §10: a line's budget is the line's, not the node's. Two nodes on one PostgreSQL, both sent to as fast as
 * clients can on one line with {@code --sends-per-second 20}: the sends that reached Meta through both together stay
 * within 10% of the budget over the run (plus each node's one-second burst at the start), and use most of it.
 */
class LineBudgetAcrossNodesTest {
    static final int BUDGET = 20;
    static final int SECONDS = 4;

    @TempDir
    Path tmp;

    @Test
    void twoNodesTogetherKeepOneLinesBudget() throws Exception {
        Map<String, String> env = new HashMap<>(TestDb.POSTGRESQL.freshEnv(tmp));
        env.put("LINEGATE_LOOKUP_REFRESH_MS", "100");
        try (Gateway first = Gateway.start(env); Gateway second = Gateway.start(env);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            first.stores().lines().update(first.lineId, new LineChanges(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(OptionalInt.of(BUDGET))));
            for (Gateway node : List.of(first, second)) {
                node.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
                awaitLiveNodes(node, 2);
            }
            Thread.sleep(500); // the line's new budget reaches both nodes' look-ups

            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            List<Future<int[]>> runs = new ArrayList<>();
            for (Gateway node : List.of(first, second)) {
                for (int c = 0; c < 4; c++) {
                    int client = c;
                    runs.add(clients.submit(() -> {
                        int sent = 0;
                        int limited = 0;
                        for (int i = 0; System.nanoTime() < end; i++) {
                            Gateway.Response r = node.postJson("/api/v2/MakeInstagram.php", first.sendJson(
                                    "\"dest\":\"1254477777772919\",\"mdata\":\"hi " + client + "/" + i + "\""));
                            if (r.statusCode() == 200) {
                                sent++;
                            } else {
                                assertThat(r.statusCode()).as(r.raw()).isEqualTo(260);
                                limited++;
                            }
                        }
                        return new int[]{sent, limited};
                    }));
                }
            }
            int sent = 0;
            int limited = 0;
            int[] perNode = new int[2];
            for (int i = 0; i < runs.size(); i++) {
                int[] r = runs.get(i).get(60, TimeUnit.SECONDS);
                sent += r[0];
                limited += r[1];
                perNode[i / 4] += r[0];
            }

            int burst = BUDGET; // each node's bucket starts full: half the budget each
            assertThat(limited).as("the clients asked for more than the budget").isPositive();
            assertThat(sent).as("sent through both nodes in %d s (%d and %d)", SECONDS, perNode[0], perNode[1])
                    .isLessThanOrEqualTo((int) (BUDGET * SECONDS * 1.1) + burst)
                    .isGreaterThanOrEqualTo((int) (BUDGET * SECONDS * 0.9));
            assertThat(perNode[0]).as("each node its half").isBetween(perNode[1] / 2, perNode[1] * 2);
            int atMeta = first.meta().findAll(postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))).size()
                    + second.meta().findAll(postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))).size();
            assertThat(atMeta).isEqualTo(sent);
        }
    }

    static void awaitLiveNodes(Gateway node, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!node.get("/metrics").raw().contains("linegate_nodes_live " + n + ".0")) {
            assertThat(System.nanoTime()).as("%d live nodes seen within 10 s", n).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
