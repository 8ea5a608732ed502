package linegate.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** Meta's Send API on a WireMock server: answers that take their time or carry headers, and the calls it received. */
public final class MetaStubs {
    private MetaStubs() {
    }

    /** An answer of Meta's Send API, as JSON. */
    public static ResponseDefinitionBuilder answer(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** Meta answers every send with this, from now on (replacing earlier answers). */
    public static void answers(WireMockServer meta, ResponseDefinitionBuilder answer) {
        meta.resetMappings();
        meta.stubFor(sendApi().willReturn(answer));
    }

    /** Meta answers every send with this status and body after {@code delay}. */
    public static void answersAfter(WireMockServer meta, Duration delay, int status, String body) {
        answers(meta, answer(status, body).withFixedDelay((int) delay.toMillis()));
    }

    public static MappingBuilder sendApi() {
        return WireMock.post(urlPathEqualTo(Gateway.GRAPH_PATH));
    }

    /** How many Send API calls Meta has received. */
    public static int graphCalls(WireMockServer meta) {
        return meta.countRequestsMatching(postRequestedFor(urlPathEqualTo(Gateway.GRAPH_PATH)).build()).getCount();
    }

    /** Waits (polling, up to 10 s) until Meta has received {@code n} Send API calls: the sends are now waiting for it. */
    public static void awaitGraphCalls(WireMockServer meta, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (graphCalls(meta) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Meta received " + graphCalls(meta) + " calls within 10 s, expected " + n);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for Meta's calls", e);
            }
        }
    }
}
