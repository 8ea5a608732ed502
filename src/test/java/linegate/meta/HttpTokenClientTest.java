package linegate.meta;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meta's token endpoints over real HTTP, with WireMock as graph.facebook.com and as graph.instagram.com speaking Meta's
 * JSON: the check ({@code GET /{version}/me?fields=id}, token in the header) and the refresh of an Instagram User token
 * ({@code GET /refresh_access_token?grant_type=ig_refresh_token&access_token=…}, answered as Meta's reference shows,
 * https://developers.facebook.com/documentation/instagram-platform/reference/refresh_access_token).
 */
class HttpTokenClientTest {
    private static final String PAGE_TOKEN = "EAAGm0PX4ZCpsBAtokenCheckPageToken0123456789ZDZD";
    private static final String IG_TOKEN = "IGAAJ1tokenCheckInstagramUserToken/+=0123456789";
    private static final String NEW_IG_TOKEN = "IGAAJ1refreshedInstagramUserToken9876543210";
    private WireMockServer facebook;
    private WireMockServer instagram;
    private HttpTokenClient client;

    @BeforeEach
    void start() {
        facebook = new WireMockServer(wireMockConfig().dynamicPort());
        instagram = new WireMockServer(wireMockConfig().dynamicPort());
        facebook.start();
        instagram.start();
        client = new HttpTokenClient(new GraphHosts(URI.create(facebook.baseUrl()), URI.create(instagram.baseUrl() + "/")),
                "v25.0", Duration.ofSeconds(2), 2, new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        client.close();
        facebook.stop();
        instagram.stop();
    }

    @Test
    void checksAPageTokenOnGraphFacebookComWithTheTokenInTheHeader() {
        facebook.stubFor(get(urlEqualTo("/v25.0/me?fields=id")).willReturn(json(200, "{\"id\":\"106540352242922\"}")));

        TokenClient.CheckAnswer answer = client.check(GraphEndpoint.Host.FACEBOOK, PAGE_TOKEN);

        assertThat(answer).isEqualTo(new TokenClient.CheckAnswer.Valid("106540352242922"));
        facebook.verify(1, getRequestedFor(urlEqualTo("/v25.0/me?fields=id"))
                .withHeader("Authorization", equalTo("Bearer " + PAGE_TOKEN)));
        instagram.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void checksAnInstagramUserTokenOnGraphInstagramCom() {
        instagram.stubFor(get(urlEqualTo("/v25.0/me?fields=id")).willReturn(json(200, "{\"id\":\"7364912364912\"}")));

        TokenClient.CheckAnswer answer = client.check(GraphEndpoint.Host.INSTAGRAM, IG_TOKEN);

        assertThat(answer).isInstanceOf(TokenClient.CheckAnswer.Valid.class);
        instagram.verify(1, getRequestedFor(urlEqualTo("/v25.0/me?fields=id"))
                .withHeader("Authorization", equalTo("Bearer " + IG_TOKEN)));
        facebook.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aCheckMetaRefusesCarriesMetasError() {
        facebook.stubFor(get(urlPathEqualTo("/v25.0/me")).willReturn(json(400, MetaSamples.error(190, 460,
                "OAuthException", "Error validating access token: The session has been invalidated", "AxYz1"))));

        TokenClient.CheckAnswer answer = client.check(GraphEndpoint.Host.FACEBOOK, PAGE_TOKEN);

        assertThat(answer).isInstanceOfSatisfying(TokenClient.CheckAnswer.Refused.class, refused -> {
            assertThat(refused.error().code()).isEqualTo(190);
            assertThat(refused.error().subcode()).isEqualTo(460);
            assertThat(refused.error().fbtraceId()).isEqualTo("AxYz1");
        });
    }

    @Test
    void noUsableAnswerIsNoAnswer() {
        facebook.stubFor(get(urlPathEqualTo("/v25.0/me")).willReturn(aResponse().withStatus(502).withBody("<html>")));
        instagram.stubFor(get(urlPathEqualTo("/v25.0/me")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(client.check(GraphEndpoint.Host.FACEBOOK, PAGE_TOKEN)).isInstanceOf(TokenClient.CheckAnswer.NoAnswer.class);
        assertThat(client.check(GraphEndpoint.Host.INSTAGRAM, IG_TOKEN)).isInstanceOf(TokenClient.CheckAnswer.NoAnswer.class);
        facebook.stubFor(get(urlPathEqualTo("/v25.0/me")).willReturn(json(200, "{}")));
        assertThat(client.check(GraphEndpoint.Host.FACEBOOK, PAGE_TOKEN)).isInstanceOf(TokenClient.CheckAnswer.NoAnswer.class);
    }

    @Test
    void refreshesAnInstagramUserTokenAsMetasReferenceShows() {
        instagram.stubFor(get(urlPathEqualTo("/refresh_access_token")).willReturn(json(200,
                MetaSamples.read("ig-refresh-access-token-success.doc.json").replace("<ACCESS_TOKEN>", NEW_IG_TOKEN))));

        TokenClient.RefreshAnswer answer = client.refresh(IG_TOKEN);

        assertThat(answer).isEqualTo(new TokenClient.RefreshAnswer.Refreshed(NEW_IG_TOKEN, 5183944));
        assertThat(answer.toString()).doesNotContain(NEW_IG_TOKEN);
        // the token's '/', '+' and '=' reach Meta as they are, URL-encoded
        instagram.verify(1, getRequestedFor(urlPathEqualTo("/refresh_access_token"))
                .withQueryParam("grant_type", equalTo("ig_refresh_token"))
                .withQueryParam("access_token", equalTo(IG_TOKEN)));
        facebook.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aRefreshMetaRefusesCarriesMetasErrorAndAnAnswerWithoutATokenIsNoAnswer() {
        instagram.stubFor(get(urlPathEqualTo("/refresh_access_token")).willReturn(json(400, MetaSamples.error(190, null,
                "OAuthException", "Error validating access token: Session has expired on Tuesday, 01-Dec-26", "BxYz2"))));

        assertThat(client.refresh(IG_TOKEN)).isInstanceOfSatisfying(TokenClient.RefreshAnswer.Refused.class,
                refused -> assertThat(refused.error().code()).isEqualTo(190));

        instagram.stubFor(get(urlPathEqualTo("/refresh_access_token")).willReturn(json(200,
                "{\"token_type\":\"bearer\",\"expires_in\":5183944}")));
        assertThat(client.refresh(IG_TOKEN)).isInstanceOf(TokenClient.RefreshAnswer.NoAnswer.class);
        instagram.stubFor(get(urlPathEqualTo("/refresh_access_token")).willReturn(json(200,
                "{\"access_token\":\"" + NEW_IG_TOKEN + "\",\"token_type\":\"bearer\",\"expires_in\":0}")));
        assertThat(client.refresh(IG_TOKEN)).isInstanceOf(TokenClient.RefreshAnswer.NoAnswer.class);
    }

    @Test
    void aFailedRefreshNeverDescribesItselfWithTheUrlThatHoldsTheToken() {
        instagram.stubFor(get(urlPathEqualTo("/refresh_access_token")).willReturn(aResponse()
                .withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

        TokenClient.RefreshAnswer answer = client.refresh(IG_TOKEN);

        assertThat(answer).isInstanceOfSatisfying(TokenClient.RefreshAnswer.NoAnswer.class,
                none -> assertThat(none.cause()).doesNotContain("IGAAJ1").doesNotContain("refresh_access_token"));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
