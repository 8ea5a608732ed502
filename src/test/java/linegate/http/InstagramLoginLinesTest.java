package linegate.http;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.health.LineHealthTracker;
import linegate.health.TokenRefresher;
import linegate.meta.GraphHosts;
import linegate.meta.HttpTokenClient;
import linegate.meta.WebhookSignature;
import linegate.store.LineClass;
import linegate.store.LineHealth;
import linegate.store.LineLogin;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.MovableClock;
import linegate.testing.Webhooks;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instagram Login lines end to end (contract §11): every kind of send goes to graph.instagram.com's stand-in at
 * {@code /{version}/{ig-account-id}/messages} with the Instagram User token, in the bodies of Meta's Instagram Login
 * samples, while a Page line of the same gateway keeps going to graph.facebook.com's; their webhooks arrive as
 * {@code object: instagram} under either app secret, and are applied whatever the line's health.
 */
class InstagramLoginLinesTest extends GatewayPerDatabase {
    static final String IG_TOKEN = "IGAAJ1loginTestInstagramUserAccessToken0123456789abcdefZDZD";
    static final String SEND = "/api/v2/MakeInstagram.php";
    static final String IG_MID = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1NzkzMTg3MjE4OjM0MDI4MjM2Njg0MTcxMDMwMTI0NDI1OTM2NzU3MzQ1NjcxMzE4MzozMjk5MDQ5NTcyOTcwOTk0ODA0ODYyMjQ2NDU4NDI1MjQxNgZDZD";

    WireMockServer instagramGraph;
    long line;
    String igAccountId;
    Webhooks hooks;

    @Override
    protected Map<String, String> gatewayEnv() {
        instagramGraph = new WireMockServer(wireMockConfig().dynamicPort());
        instagramGraph.start();
        Map<String, String> vars = Webhooks.env();
        vars.put("LINEGATE_IG_GRAPH_URL", instagramGraph.baseUrl());
        vars.put("LINEGATE_INSTAGRAM_APP_SECRET", Webhooks.INSTAGRAM_APP_SECRET);
        return vars;
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void createInstagramLoginLine() {
        hooks = new Webhooks(gw);
        igAccountId = Webhooks.newId("178414");
        line = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(IG_TOKEN)), Optional.of(igAccountId), Optional.empty(), true, true,
                LineLogin.INSTAGRAM, Optional.of(Instant.parse("2027-01-31T10:00:00Z"))));
    }

    @AfterParameterizedClassInvocation
    void stopInstagramGraph() {
        instagramGraph.stop();
    }

    @BeforeEach
    void resetBothHosts() {
        gw.meta().resetAll();
        instagramGraph.resetAll();
        instagramGraph.stubFor(post(urlPathEqualTo(messagesPath())).willReturn(MetaStubs.answer(200,
                MetaSamples.read("ig-send-success.doc.json"))));
    }

    private String messagesPath() {
        return "/v25.0/" + igAccountId + "/messages";
    }

    private Gateway.Response send(String members) {
        return gw.postJson(SEND, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + line + "," + members + "}");
    }

    private void assertSentToInstagram(String body) {
        instagramGraph.verify(1, postRequestedFor(urlEqualTo(messagesPath()))
                .withHeader("Authorization", equalTo("Bearer " + IG_TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson(body)));
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    private static String sample(String name, String... pairs) {
        String text = MetaSamples.read(name);
        for (int i = 0; i < pairs.length; i += 2) {
            text = text.replace(pairs[i], pairs[i + 1]);
        }
        return text;
    }

    @Test
    void sendsTextToTheInstagramAccountsMessagesEdgeWithTheInstagramUserTokenAsMetasSample() {
        String peer = Webhooks.newId("1254");

        Gateway.Response r = send("\"dest\":\"" + peer + "\",\"mdata\":\"Hello World!\"");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertThat(r.ret().path("messageId").asText()).isEqualTo("MESSAGE-ID");
        // Meta's Instagram Login sample has no messaging_type
        assertSentToInstagram(sample("ig-send-text-request.postman.json", "{{instagram_scoped_id}}", peer));
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.SENT);
        assertThat(row.lineId()).isEqualTo(line);
    }

    @Test
    void sendsAnImageAsMetasInstagramLoginSample() {
        String peer = Webhooks.newId("1254");

        Gateway.Response r = send("\"dest\":\"" + peer + "\",\"mtype\":\"image\",\"mdata\":\"https://cdn.example.com/a.jpg\"");

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertSentToInstagram(sample("ig-send-image-request.postman.json", "{{instagram_scoped_id}}", peer,
                "MEDIA_URL", "https://cdn.example.com/a.jpg"));
    }

    @Test
    void sendsHumanAgentAsTheTagAloneAsMetasSample() {
        String peer = Webhooks.newId("1254");

        Gateway.Response r = send("\"dest\":\"" + peer + "\",\"mdata\":\"Your doctor visit is scheduled\","
                + "\"tag\":\"HUMAN_AGENT\"");

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertSentToInstagram(sample("ig-send-human-agent-request.postman.json", "{{ig_scoped_id}}", peer));
    }

    @Test
    void reactsAsMetasSample() {
        String peer = Webhooks.newId("1254");
        instagramGraph.stubFor(post(urlPathEqualTo(messagesPath())).willReturn(MetaStubs.answer(200,
                MetaSamples.read("ig-react-unreact-success.doc.json"))));

        Gateway.Response r = send("\"dest\":\"" + peer + "\",\"mtype\":\"reaction\",\"mdata\":\"love\","
                + "\"reply_to\":\"" + IG_MID + "\"");

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertSentToInstagram(sample("ig-send-reaction-request.postman.json", "{{instagram_scoped_id}}", peer,
                "MESSAGE_ID", IG_MID));
    }

    @Test
    void sendsEveryOtherKindToTheInstagramHostInTheSameShapeWithoutAMessagingType() {
        String peer = Webhooks.newId("1254");
        String recipient = "{\"recipient\":{\"id\":\"" + peer + "\"},";
        List<String[]> sendsAndBodies = List.of(
                new String[] {"\"mtype\":\"file\",\"mdata\":\"https://cdn.example.com/terms.pdf\"",
                        recipient + "\"message\":{\"attachment\":{\"type\":\"file\",\"payload\":{\"url\":"
                                + "\"https://cdn.example.com/terms.pdf\"}}}}"},
                new String[] {"\"mtype\":\"image\",\"mdata\":[\"https://cdn.example.com/1.jpg\",\"https://cdn.example.com/2.jpg\"]",
                        recipient + "\"message\":{\"attachments\":[{\"type\":\"image\",\"payload\":{\"url\":"
                                + "\"https://cdn.example.com/1.jpg\"}},{\"type\":\"image\",\"payload\":{\"url\":"
                                + "\"https://cdn.example.com/2.jpg\"}}]}}"},
                new String[] {"\"mdata\":\"Which one?\",\"quick_replies\":[{\"title\":\"Red\",\"payload\":\"RED\"}]",
                        recipient + "\"message\":{\"text\":\"Which one?\",\"quick_replies\":[{\"content_type\":\"text\","
                                + "\"title\":\"Red\",\"payload\":\"RED\"}]}}"},
                new String[] {"\"mdata\":\"Thanks\",\"reply_to\":\"" + IG_MID + "\"",
                        recipient + "\"message\":{\"text\":\"Thanks\"},\"reply_to\":{\"mid\":\"" + IG_MID + "\"}}"},
                new String[] {"\"mtype\":\"template\",\"mdata\":[{\"title\":\"Welcome!\",\"subtitle\":\"Hats\"}]",
                        recipient + "\"message\":{\"attachment\":{\"type\":\"template\",\"payload\":{\"template_type\":"
                                + "\"generic\",\"elements\":[{\"title\":\"Welcome!\",\"subtitle\":\"Hats\"}]}}}}"});

        for (String[] sendAndBody : sendsAndBodies) {
            instagramGraph.resetRequests();
            Gateway.Response r = send("\"dest\":\"" + peer + "\"," + sendAndBody[0]);

            assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
            assertSentToInstagram(sendAndBody[1]);
        }
    }

    @Test
    void sendsSenderActionsToTheInstagramHostAsMetasSample() {
        String peer = Webhooks.newId("1254");
        instagramGraph.stubFor(post(urlPathEqualTo(messagesPath())).willReturn(MetaStubs.answer(200,
                "{\"recipient_id\":\"" + peer + "\"}")));

        Gateway.Response r = gw.postJson("/api/v2/SenderAction.php", "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + line
                + ",\"dest\":\"" + peer + "\",\"action\":\"typing_on\"}");

        assertThat(r.raw()).isEqualTo("{\"return\":{\"status\":\"OK\",\"status_code\":200}}");
        assertSentToInstagram(sample("ig-sender-action-typing-on-request.doc.json", "<IGSID>", peer));
    }

    @Test
    void aPageLineOfTheSameGatewayStillSendsToGraphFacebookComWithItsMessagingType() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response r = gw.postJson(SEND, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\""));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withHeader("Authorization", equalTo("Bearer " + Gateway.PAGE_TOKEN))
                .withRequestBody(equalToJson("{\"recipient\":{\"id\":\"1254477777772919\"},"
                        + "\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"hi\"}}")));
        instagramGraph.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aTokenMetaRefusesOnASendMakesTheLineTokenRejected() {
        long other = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(IG_TOKEN)), Optional.of(Webhooks.newId("178414")), Optional.empty(),
                true, false, LineLogin.INSTAGRAM, Optional.empty()));
        instagramGraph.stubFor(post(urlPathEqualTo("/v25.0/" + gw.stores().lines().find(other).orElseThrow()
                .igAccountId().orElseThrow() + "/messages")).willReturn(MetaStubs.answer(400,
                MetaSamples.error(190, 463, "OAuthException", "Error validating access token: Session has expired",
                        "AbCdEf"))));

        Gateway.Response r = gw.postJson(SEND, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + other
                + ",\"dest\":\"1254477777772919\",\"mdata\":\"hi\"}");

        assertThat(r.statusCode()).as(r.raw()).isNotEqualTo(200);
        assertThat(gw.stores().lines().find(other).orElseThrow().health()).isEqualTo(LineHealth.TOKEN_REJECTED);
    }

    @Test
    void aRefreshedTokenIsWhatTheNextSendUses() {
        String oldToken = "IGAAJ1beforeRefreshInstagramUserToken0123456789ZDZD";
        String newToken = "IGAAJ1afterRefreshInstagramUserToken9876543210ZDZD";
        String account = Webhooks.newId("178414");
        long refreshing = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(oldToken)), Optional.of(account), Optional.empty(), true, false,
                LineLogin.INSTAGRAM, Optional.of(Instant.now().plus(Duration.ofDays(5)))));
        String path = "/v25.0/" + account + "/messages";
        instagramGraph.stubFor(post(urlPathEqualTo(path)).willReturn(MetaStubs.answer(200,
                MetaSamples.read("ig-send-success.doc.json"))));
        instagramGraph.stubFor(get(urlPathEqualTo("/refresh_access_token")).willReturn(MetaStubs.answer(200,
                MetaSamples.read("ig-refresh-access-token-success.doc.json").replace("<ACCESS_TOKEN>", newToken))));
        String send = "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + refreshing
                + ",\"dest\":\"1254477777772919\",\"mdata\":\"hi\"}";
        assertThat(gw.postJson(SEND, send).statusCode()).isEqualTo(200); // the line is now in the look-up cache
        MovableClock dayLater = new MovableClock(Instant.now().plus(Duration.ofHours(25)));
        try (HttpTokenClient client = new HttpTokenClient(new GraphHosts(URI.create(gw.meta().baseUrl()),
                URI.create(instagramGraph.baseUrl())), "v25.0", Duration.ofSeconds(2), 1, new SimpleMeterRegistry())) {
            new TokenRefresher(gw.stores().lines().tokens(), client, new LineHealthTracker(gw.stores().lines()),
                    dayLater).run();
        }
        instagramGraph.verify(1, getRequestedFor(urlPathEqualTo("/refresh_access_token"))
                .withQueryParam("access_token", equalTo(oldToken)));

        assertThat(gw.postJson(SEND, send).statusCode()).isEqualTo(200);

        instagramGraph.verify(1, postRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer " + oldToken)));
        instagramGraph.verify(1, postRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer " + newToken)));
    }

    @Test
    void appliesItsWebhooksSignedWithTheInstagramAppSecret() {
        String peer = Webhooks.newId("1254");
        String mid = Webhooks.newIgMid();
        byte[] body = Webhooks.igMessage(igAccountId, peer, mid, System.currentTimeMillis())
                .getBytes(StandardCharsets.UTF_8);

        Gateway.Response r = hooks.post(body, WebhookSignature.sign(Webhooks.INSTAGRAM_APP_SECRET, body));

        assertThat(r.status()).isEqualTo(200);
        hooks.awaitSettled();
        assertThat(hooks.rows(line)).anySatisfy(row -> {
            assertThat(row.metaMessageId()).contains(mid);
            assertThat(row.peerId()).isEqualTo(peer);
            assertThat(row.mdata()).isEqualTo("Hello");
        });
    }

    @Test
    void appliesInboundMessagesOfALineWhoseTokenMetaRejects() {
        Webhooks.Line unhealthy = hooks.newInstagramLine();
        gw.stores().lines().recordHealth(unhealthy.id(), LineHealth.TOKEN_REJECTED,
                Optional.of("Meta error 190/463: Error validating access token"));
        assertThat(gw.stores().lines().find(unhealthy.id()).orElseThrow().health()).isEqualTo(LineHealth.TOKEN_REJECTED);
        String mid = Webhooks.newIgMid();

        hooks.deliver(Webhooks.igMessage(unhealthy.entryId(), "1254477777772919", mid, System.currentTimeMillis()));

        assertThat(hooks.rows(unhealthy.id())).singleElement().satisfies(row -> {
            assertThat(row.metaMessageId()).contains(mid);
            assertThat(row.mdata()).isEqualTo("Hello");
        });
    }
}
