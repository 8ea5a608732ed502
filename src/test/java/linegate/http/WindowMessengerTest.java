package linegate.http;

import linegate.store.LineClass;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaDeliveries;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Tenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static linegate.http.Answers.assertRefused;
import static linegate.testing.MetaDeliveries.deliverAndAwaitWindow;
import static linegate.testing.MetaDeliveries.instagramMessage;
import static linegate.testing.MetaDeliveries.messengerMessage;
import static linegate.testing.MetaDeliveries.newPeer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 24-hour window on MakeMessenger: lines of class messenger, opened by Meta's {@code object: page} webhooks (the
 * documented text-message event in the page envelope) for the line's Page id. Same rules as Instagram (contract
 * section 7). Both databases.
 */
class WindowMessengerTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeMessenger.php";
    private static final String MESSENGER_TOKEN = "EAAGm0PX4ZCpsBAmessengerPageToken9876543210fedcbaZDZD";
    /** The Page of the Messenger line with the human-agent permission. */
    private static final String AGENT_PAGE_ID = "107346828715999";
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();

    Tenant messenger;
    long agentLine;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Gateway.env("LINEGATE_APP_SECRET", MetaDeliveries.APP_SECRET);
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void createLines() {
        messenger = Tenant.newLine(gw, LineClass.MESSENGER, MESSENGER_TOKEN);
        agentLine = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.MESSENGER,
                Optional.of(new PageAccessToken(MESSENGER_TOKEN)), Optional.empty(), Optional.of(AGENT_PAGE_ID), true, true));
    }

    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("messenger-send-success.doc.json"));
    }

    @Test
    void answers240WithoutCallingMetaWhenTheCustomerLastWrote25HoursAgo() {
        String psid = newPeer();
        long wrote = now() - 25 * HOUR;
        deliverAndAwaitWindow(gw, messengerMessage(Tenant.PAGE_ID, psid, wrote), messenger.lineId(), psid, wrote);

        Gateway.Response r = send(messenger.lineId(), psid, ",\"msg_id\":\"crm-m-late\"");

        assertRefused(r, 422, 240, "Outside messaging window");
        assertThat(r.ret().path("detail").asText()).contains(Instant.ofEpochMilli(wrote).toString());
        assertThat(r.ret().has("meta_error")).isFalse();
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.channel()).isEqualTo(LineClass.MESSENGER);
        assertThat(row.msgId()).contains("crm-m-late");
        assertThat(row.error()).hasValueSatisfying(e -> assertThat(e.statusCode()).isEqualTo(240));
    }

    @Test
    void sendsWhenTheCustomerWrote23HoursAgo() {
        String psid = newPeer();
        long wrote = now() - 23 * HOUR;
        deliverAndAwaitWindow(gw, messengerMessage(Tenant.PAGE_ID, psid, wrote), messenger.lineId(), psid, wrote);

        Gateway.Response r = send(messenger.lineId(), psid, "");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withHeader("Authorization", equalTo("Bearer " + MESSENGER_TOKEN))
                .withRequestBody(equalToJson("{\"recipient\":{\"id\":\"" + psid + "\"},\"messaging_type\":\"RESPONSE\","
                        + "\"message\":{\"text\":\"Your table is ready\"}}")));
    }

    @Test
    void sendsToAPeerLinegateNeverHeardFromAndMapsMetasOwnWindowError2018278To240() {
        assertThat(send(messenger.lineId(), newPeer(), "").status()).isEqualTo(200);
        gw.meta().resetAll();
        gw.metaAnswers(400, MetaSamples.error(10, 2018278, "OAuthException",
                "This message is sent outside of allowed window. Learn more about the new policy here", "AmWindow2018278"));

        Gateway.Response r = send(messenger.lineId(), newPeer(), "");

        assertRefused(r, 422, 240, "Outside messaging window");
        assertThat(r.ret().path("meta_error").path("subcode").asInt()).isEqualTo(2018278);
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    @Test
    void aNewMessageFromTheCustomerReopensTheWindow() {
        String psid = newPeer();
        long wrote = now() - 25 * HOUR;
        deliverAndAwaitWindow(gw, messengerMessage(Tenant.PAGE_ID, psid, wrote), messenger.lineId(), psid, wrote);
        assertRefused(send(messenger.lineId(), psid, ",\"msg_id\":\"crm-m-reopen\""), 422, 240, "Outside messaging window");

        long again = now();
        deliverAndAwaitWindow(gw, messengerMessage(Tenant.PAGE_ID, psid, again), messenger.lineId(), psid, again);
        Gateway.Response r = send(messenger.lineId(), psid, ",\"msg_id\":\"crm-m-reopen\"");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    @Test
    void anOlderMessageDeliveredLateDoesNotCloseTheWindow() {
        String psid = newPeer();
        long recent = now() - HOUR;
        deliverAndAwaitWindow(gw, messengerMessage(Tenant.PAGE_ID, psid, recent), messenger.lineId(), psid, recent);

        MetaDeliveries.deliver(gw, messengerMessage(Tenant.PAGE_ID, psid, now() - 30 * HOUR));

        assertThat(gw.stores().conversations().lastInbound(messenger.lineId(), psid)).contains(recent);
        assertThat(send(messenger.lineId(), psid, "").status()).isEqualTo(200);
    }

    @Test
    void theHumanAgentTagSendsSixDaysLaterAndIsRefusedEightDaysLater() {
        String sixDays = newPeer();
        String eightDays = newPeer();
        long six = now() - 6 * DAY;
        long eight = now() - 8 * DAY;
        deliverAndAwaitWindow(gw, messengerMessage(AGENT_PAGE_ID, sixDays, six), agentLine, sixDays, six);
        deliverAndAwaitWindow(gw, messengerMessage(AGENT_PAGE_ID, eightDays, eight), agentLine, eightDays, eight);

        Gateway.Response sent = send(agentLine, sixDays, ",\"tag\":\"HUMAN_AGENT\"");
        Gateway.Response refused = send(agentLine, eightDays, ",\"tag\":\"HUMAN_AGENT\"");

        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)).withRequestBody(equalToJson(
                "{\"recipient\":{\"id\":\"" + sixDays + "\"},\"messaging_type\":\"MESSAGE_TAG\",\"tag\":\"HUMAN_AGENT\","
                        + "\"message\":{\"text\":\"Your table is ready\"}}")));
        assertRefused(refused, 422, 240, "Outside messaging window");
        assertThat(refused.ret().path("detail").asText()).contains("7 days");
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    @Test
    void answers234BeforeTheWindowCheckOnALineWithoutTheHumanAgentPermission() {
        String psid = newPeer();
        long wrote = now() - 8 * DAY;
        deliverAndAwaitWindow(gw, messengerMessage(Tenant.PAGE_ID, psid, wrote), messenger.lineId(), psid, wrote);

        assertRefused(send(messenger.lineId(), psid, ",\"tag\":\"HUMAN_AGENT\""), 422, 234, "Human agent tag not enabled");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aPageWebhookOpensOnlyThePagesLineAndAnInstagramWebhookOnlyTheInstagramLine() {
        String peer = newPeer();
        long old = now() - 25 * HOUR;
        long recent = now() - HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, old), gw.lineId, peer, old);
        deliverAndAwaitWindow(gw, messengerMessage(Tenant.PAGE_ID, peer, recent), messenger.lineId(), peer, recent);

        assertThat(gw.stores().conversations().lastInbound(gw.lineId, peer)).contains(old);
        assertThat(send(messenger.lineId(), peer, "").status()).isEqualTo(200);
        assertRefused(gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"" + peer + "\",\"mdata\":\"hi\"")),
                422, 240, "Outside messaging window");
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    @Test
    void answersTheDuplicateOfASentMessageEvenWhenTheWindowHasSinceClosed() {
        String psid = newPeer();
        Gateway.Response first = send(messenger.lineId(), psid, ",\"msg_id\":\"crm-m-dup\"");
        long wrote = now() - 25 * HOUR;
        deliverAndAwaitWindow(gw, messengerMessage(Tenant.PAGE_ID, psid, wrote), messenger.lineId(), psid, wrote);

        Gateway.Response again = send(messenger.lineId(), psid, ",\"msg_id\":\"crm-m-dup\"");

        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(again.status()).as(again.raw()).isEqualTo(200);
        assertThat(again.ret().path("duplicate").asBoolean(false)).isTrue();
        assertThat(again.ret().path("cdls_id").asLong()).isEqualTo(first.ret().path("cdls_id").asLong());
        assertRefused(send(messenger.lineId(), psid, ",\"msg_id\":\"crm-m-dup-2\""), 422, 240, "Outside messaging window");
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    private Gateway.Response send(long line, String psid, String extra) {
        return gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + line + ",\"dest\":\"" + psid
                + "\",\"mdata\":\"Your table is ready\"" + extra + "}");
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
