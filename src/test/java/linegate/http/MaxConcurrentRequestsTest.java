package linegate.http;

import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * LINEGATE_MAX_CONCURRENT_REQUESTS: one request more than the limit is answered 503 at once, before anything is read or
 * written, with Retry-After; health and metrics still answer; once requests finish, new ones are admitted. Without
 * the limit an open-loop load the node could not keep up with filled its heap until it stopped answering at all.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class MaxConcurrentRequestsTest {
    private static final String PATH = "/api/v2/MakeInstagram.php";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    @Test
    void aRequestOverTheLimitIsRefusedAtOnceAndTheNodeRecovers() throws Exception {
        try (Gateway gw = Gateway.start(db, tmp, Gateway.env("LINEGATE_MAX_CONCURRENT_REQUESTS", "2",
                // Meta answers after 1.5 s: on a loaded machine that neared the tests' usual 2 s timeout (a 280)
                "LINEGATE_GRAPH_TIMEOUT_MS", "10000"))) {
            gw.meta().stubFor(post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(MetaSamples.read("ig-send-success.doc.json"))
                    .withFixedDelay(1500)));
            String body = gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\"");
            CompletableFuture<Gateway.Response> first = CompletableFuture.supplyAsync(() -> gw.postJson(PATH, body));
            CompletableFuture<Gateway.Response> second = CompletableFuture.supplyAsync(() -> gw.postJson(PATH, body));
            awaitMetaCalls(gw, 2);
            int rowsBefore = gw.rows().size();

            long started = System.nanoTime();
            Gateway.Response refused = gw.postJson(PATH, body);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.ret().path("retry_after").asLong()).isEqualTo(1);
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(refused.ret().has("cdls_id")).as("nothing was written").isFalse();
            assertThat(refused.raw()).contains("LINEGATE_MAX_CONCURRENT_REQUESTS");
            assertThat(took).as("refused without waiting for the requests in flight").isLessThan(Duration.ofMillis(1000));
            assertThat(gw.rows()).hasSize(rowsBefore);
            assertThat(gw.get("/health").status()).as("health is always admitted").isEqualTo(200);
            assertThat(gw.get("/metrics").raw()).contains("linegate_http_overloaded_total 1.0");

            assertThat(first.get().statusCode()).isEqualTo(200);
            assertThat(second.get().statusCode()).isEqualTo(200);
            assertThat(gw.postJson(PATH, body).statusCode()).as("admitted again once the others finished").isEqualTo(200);
            gw.meta().verify(3, postRequestedFor(urlPathEqualTo(Gateway.GRAPH_PATH)));
        }
    }

    private static void awaitMetaCalls(Gateway gw, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gw.meta().countRequestsMatching(postRequestedFor(urlPathEqualTo(Gateway.GRAPH_PATH)).build()).getCount() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Meta never saw " + n + " sends");
            }
            Thread.sleep(10);
        }
    }
}
