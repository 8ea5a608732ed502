package linegate.meta;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol of the Graph connection: HTTP/2, negotiated by ALPN, over TLS (as Meta serves the Graph API), against
 * WireMock speaking HTTP/2 over TLS with a certificate made for the test; HTTP/1.1 on plain http, although WireMock
 * would speak h2c there too.
 */
class HttpGraphClientHttp2Test {
    private static final OutboundMessage HELLO = new OutboundMessage("1254477777772919", OutboundMessage.Kind.TEXT,
            "hello", false);

    @TempDir
    Path tmp;

    WireMockServer meta;
    SelfSignedTls tls;
    HttpGraphClient client;

    @BeforeEach
    void start() throws Exception {
        tls = SelfSignedTls.create(tmp);
        meta = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort()
                .keystorePath(tls.keyStore().toString()).keystorePassword(tls.password())
                .keyManagerPassword(tls.password()).keystoreType("PKCS12"));
        meta.start();
        meta.stubFor(post(urlEqualTo("/v25.0/me/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(MetaSamples.read("messenger-send-success.doc.json"))));
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        meta.stop();
    }

    private HttpGraphClient client(URI graph) {
        client = new HttpGraphClient(graph, "v25.0", Duration.ofSeconds(5), 10, new SimpleMeterRegistry(),
                tls.trustingIt());
        return client;
    }

    @Test
    void overTlsTheSendGoesOutOverHttp2() {
        GraphOutcome outcome = client(URI.create("https://127.0.0.1:" + meta.httpsPort()))
                .send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token", HELLO);

        assertThat(outcome).isInstanceOf(GraphOutcome.Sent.class);
        List<LoggedRequest> calls = meta.findAll(postRequestedFor(urlEqualTo("/v25.0/me/messages")));
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.getProtocol()).isEqualTo("HTTP/2.0");
            assertThat(call.getHeader("Authorization")).isEqualTo("Bearer page-token");
            assertThat(call.getUrl()).doesNotContain("page-token");
        });
    }

    @Test
    void severalSendsShareOneConnection() {
        HttpGraphClient graph = client(URI.create("https://127.0.0.1:" + meta.httpsPort()));
        for (int i = 0; i < 5; i++) {
            assertThat(graph.send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token", HELLO))
                    .isInstanceOf(GraphOutcome.Sent.class);
        }

        assertThat(meta.findAll(postRequestedFor(urlEqualTo("/v25.0/me/messages"))))
                .extracting(LoggedRequest::getProtocol).containsOnly("HTTP/2.0").hasSize(5);
    }

    @Test
    void aCertificateForAnotherNameIsRefusedAndNothingIsSent() {
        // the certificate names 127.0.0.1 and localhost; 127.0.0.2 reaches the same server under a name it lacks
        GraphOutcome outcome = client(URI.create("https://127.0.0.2:" + meta.httpsPort()))
                .send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token", HELLO);

        assertThat(outcome).isInstanceOfSatisfying(GraphOutcome.NotSent.class,
                n -> assertThat(n.cause()).contains("127.0.0.2"));
        assertThat(meta.findAll(postRequestedFor(urlEqualTo("/v25.0/me/messages")))).isEmpty();
    }

    @Test
    void plainHttpStaysHttp11() {
        GraphOutcome outcome = client(URI.create("http://127.0.0.1:" + meta.port()))
                .send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token", HELLO);

        assertThat(outcome).isInstanceOf(GraphOutcome.Sent.class);
        assertThat(meta.findAll(postRequestedFor(urlEqualTo("/v25.0/me/messages"))))
                .extracting(LoggedRequest::getProtocol).containsExactly("HTTP/1.1");
    }
}
