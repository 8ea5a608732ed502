package linegate.meta;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint a send goes to (the node of its {@link GraphEndpoint}, always with the version) and Meta's usage
 * headers carried on the outcome, over real HTTP against WireMock speaking Meta's JSON.
 */
class HttpGraphClientEndpointTest {
    private static final OutboundMessage HELLO = new OutboundMessage("1254477777772919", OutboundMessage.Kind.TEXT,
            "hello", false);
    private static final String APP_USAGE = "{\"call_count\":28,\"total_time\":25,\"total_cputime\":25}";
    private static final String BUC_USAGE = "{\"112233\":[{\"type\":\"messenger\",\"call_count\":96,"
            + "\"total_cputime\":10,\"total_time\":10,\"estimated_time_to_regain_access\":0}]}";
    private WireMockServer meta;
    private HttpGraphClient client;

    @BeforeEach
    void start() {
        meta = new WireMockServer(wireMockConfig().dynamicPort());
        meta.start();
        client = new HttpGraphClient(URI.create(meta.baseUrl() + "/"), "v25.0", Duration.ofSeconds(2), 10,
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        meta.stop();
    }

    @Test
    void aPageTokenSendGoesToTheVersionedMeMessagesEdgeWithTheTokenInTheHeader() {
        meta.stubFor(post(urlEqualTo("/v25.0/me/messages")).willReturn(aResponse().withStatus(200)
                .withBody(MetaSamples.read("messenger-send-success.doc.json"))));

        GraphOutcome outcome = client.send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token", HELLO);

        assertThat(outcome).isInstanceOf(GraphOutcome.Sent.class);
        meta.verify(1, postRequestedFor(urlEqualTo("/v25.0/me/messages"))
                .withHeader("Authorization", equalTo("Bearer page-token")));
    }

    @Test
    void aNumericNodeSendsToThatNodesMessagesEdge() {
        meta.stubFor(post(urlEqualTo("/v25.0/17841405793187218/messages")).willReturn(aResponse().withStatus(200)
                .withBody(MetaSamples.read("messenger-send-success.doc.json"))));

        GraphOutcome outcome = client.send(new GraphEndpoint(GraphEndpoint.Host.FACEBOOK, "17841405793187218"),
                "page-token", HELLO);

        assertThat(outcome).isInstanceOf(GraphOutcome.Sent.class);
        meta.verify(1, postRequestedFor(urlEqualTo("/v25.0/17841405793187218/messages")));
    }

    @Test
    void aSuccessCarriesMetasUsageHeaders() {
        meta.stubFor(post(urlEqualTo("/v25.0/me/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("X-App-Usage", APP_USAGE).withHeader("X-Business-Use-Case-Usage", BUC_USAGE)
                .withBody(MetaSamples.read("messenger-send-success.doc.json"))));

        GraphOutcome.Sent sent = (GraphOutcome.Sent) client.send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token", HELLO);

        assertThat(sent.usage()).isEqualTo(new MetaUsage(Optional.of(APP_USAGE), Optional.of(BUC_USAGE), Optional.empty()));
    }

    @Test
    void anErrorCarriesMetasUsageHeadersToo() {
        meta.stubFor(post(urlEqualTo("/v25.0/me/messages")).willReturn(aResponse().withStatus(400)
                .withHeader("X-Page-Usage", APP_USAGE)
                .withBody(MetaSamples.read("error-rate-limit-32-page.doc.json"))));

        GraphOutcome.Rejected rejected = (GraphOutcome.Rejected) client.send(GraphEndpoint.PAGE_TOKEN_OWNER,
                "page-token", HELLO);

        assertThat(rejected.usage().pageUsage()).contains(APP_USAGE);
        assertThat(rejected.error().code()).isEqualTo(32);
    }

    @Test
    void aUsageHeaderOverItsBoundIsDroppedNotKept() {
        String huge = "{\"call_count\":" + "9".repeat(MetaUsage.MAX_LENGTH) + "}";
        meta.stubFor(post(urlEqualTo("/v25.0/me/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("X-App-Usage", huge).withBody(MetaSamples.read("messenger-send-success.doc.json"))));

        GraphOutcome.Sent sent = (GraphOutcome.Sent) client.send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token", HELLO);

        assertThat(sent.usage().appUsage()).isEmpty();
    }

    @Test
    void aNodeIsMeOrANumericIdNeverAPath() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GraphEndpoint(GraphEndpoint.Host.FACEBOOK, "../x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
