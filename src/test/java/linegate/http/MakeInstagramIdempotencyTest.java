package linegate.http;

import com.github.tomakehurst.wiremock.client.WireMock;
import linegate.store.LineClass;
import linegate.store.LogState;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static linegate.http.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotency by msg_id (docs/status-codes.md): a msg_id is unique per account among attempts that did not fail.
 * The duplicate answer and 291 are not built yet (MessageSender never looks a msg_id up): those two tests are disabled
 * until they are; the others hold today and must keep holding once they are.
 */
class MakeInstagramIdempotencyTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";

    String msgId;

    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
        msgId = "crm-" + UUID.randomUUID();
    }

    private Gateway.Response send(String tsid, long line) {
        return gw.postJson(PATH, "{\"tsid\":\"" + tsid + "\",\"app_id\":" + line
                + ",\"dest\":\"1254477777772919\",\"mdata\":\"hi\",\"msg_id\":\"" + msgId + "\"}");
    }

    @Test
    void answersTheOriginalSuccessWithDuplicateTrueWithoutCallingMetaAgain() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-generic-template-success.postman-example.json"));

        Gateway.Response first = send(gw.tsid, gw.lineId);
        Gateway.Response again = send(gw.tsid, gw.lineId);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.ret().has("duplicate")).isFalse();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.ret().path("duplicate").asBoolean(false)).isTrue();
        assertThat(again.ret().path("messageId").asText()).isEqualTo(first.ret().path("messageId").asText());
        assertThat(again.ret().path("cdls_id").asLong()).isEqualTo(first.ret().path("cdls_id").asLong());
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
    }

    @Test
    void makesANewAttemptAfterAFailedOne() {
        gw.metaAnswers(400, MetaSamples.error(551, 1545041, "OAuthException", "This person isn't available right now.",
                "AbCdEf551"));
        Gateway.Response failed = send(gw.tsid, gw.lineId);
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response retried = send(gw.tsid, gw.lineId);

        assertRefused(failed, 422, 241, "Recipient unavailable");
        assertThat(retried.statusCode()).as(retried.raw()).isEqualTo(200);
        assertThat(retried.ret().has("duplicate")).isFalse();
        assertThat(retried.ret().path("cdls_id").asLong()).isNotEqualTo(failed.ret().path("cdls_id").asLong());
        gw.meta().verify(2, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
    }

    @Test
    void makesANewAttemptAfterALocalRefusal() {
        long noToken = gw.newInstagramLine(true, false, Optional.empty());
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        assertRefused(send(gw.tsid, noToken), 422, 233, "No page access token");
        Gateway.Response sent = send(gw.tsid, gw.lineId);

        assertThat(sent.statusCode()).as(sent.raw()).isEqualTo(200);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
    }

    @Test
    void answers291WhileTheFirstAttemptIsInFlight() throws Exception {
        gw.meta().stubFor(WireMock.post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(MetaSamples.read("ig-send-success.doc.json"))
                .withFixedDelay(800)));
        int before = gw.rows().size();
        CompletableFuture<Gateway.Response> first = CompletableFuture.supplyAsync(() -> send(gw.tsid, gw.lineId));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (gw.rows().size() == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(gw.rows().getFirst().state()).isEqualTo(LogState.ACCEPTED);

        Gateway.Response second = send(gw.tsid, gw.lineId);

        assertRefused(second, 409, 291, "Duplicate msg_id in progress");
        assertThat(first.get().statusCode()).isEqualTo(200);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
    }

    @Test
    void aMsgIdIsUniquePerAccountOnly() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        long other = gw.stores().accounts().create("Other Clinic");
        String otherTsid = gw.stores().tokens().create(other, "crm").tsid();
        long otherLine = gw.stores().lines().create(new NewLine(other, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.of("17841400000000001"),
                Optional.empty(), true, false));

        Gateway.Response ours = send(gw.tsid, gw.lineId);
        Gateway.Response theirs = send(otherTsid, otherLine);

        assertThat(ours.statusCode()).isEqualTo(200);
        assertThat(theirs.statusCode()).isEqualTo(200);
        assertThat(theirs.ret().has("duplicate")).isFalse();
        assertThat(theirs.ret().path("cdls_id").asLong()).isNotEqualTo(ours.ret().path("cdls_id").asLong());
        gw.meta().verify(2, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
    }
}
