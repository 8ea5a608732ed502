package linegate.http;

import linegate.Main;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static linegate.http.Answers.assertRefused;
import static linegate.testing.MetaDeliveries.deliver;
import static linegate.testing.MetaDeliveries.deliverAndAwaitWindow;
import static linegate.testing.MetaDeliveries.instagramMessage;
import static linegate.testing.MetaDeliveries.newMid;
import static linegate.testing.MetaDeliveries.newPeer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local 24-hour window check of MakeInstagram (docs/api.md, "The messaging window"; section 3: "291 or the duplicate answer, 240,
 * 260, then the Graph call"). The window is opened as in production: by Meta's documented Instagram webhook, signed and
 * posted to {@code /webhooks/meta}, carrying the customer's message time. Both databases; every test has its own peers.
 */
class WindowTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    /** The Instagram account of a second line of the same account: its webhooks name this id. */
    private static final String OTHER_IG_ACCOUNT_ID = "17841400000000777";
    /** The Instagram account of the line with the human-agent permission. */
    private static final String AGENT_IG_ACCOUNT_ID = "17841400000000888";

    long otherLine;
    long agentLine;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Gateway.env("LINEGATE_APP_SECRET", MetaDeliveries.APP_SECRET);
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void createLines() {
        otherLine = instagramLine(OTHER_IG_ACCOUNT_ID);
        agentLine = instagramLine(AGENT_IG_ACCOUNT_ID);
        // the permission is granted as an operator grants it
        assertThat(operator("line", "update", Long.toString(agentLine), "--human-agent", "true")).contains("\"human_agent\":true");
    }

    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
    }

    // ---- the 24-hour window -------------------------------------------------------------------------------------

    @Test
    void answers240WithoutCallingMetaWhenTheCustomerLastWrote25HoursAgo() {
        String peer = newPeer();
        long wrote = now() - 25 * HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, wrote), gw.lineId, peer, wrote);

        Gateway.Response r = send(gw.lineId, peer, ",\"msg_id\":\"crm-late\"");

        assertRefused(r, 422, 240, "Outside messaging window");
        assertThat(r.ret().path("cdls_id").isIntegralNumber()).as("cdls_id in %s", r.raw()).isTrue();
        assertThat(r.ret().path("detail").asText()).as("detail in %s", r.raw())
                .contains(Instant.ofEpochMilli(wrote).toString()).contains("24 hours")
                .doesNotContain("HUMAN_AGENT"); // this line has no Human Agent permission: no hint it could not use
        assertThat(r.ret().has("meta_error")).isFalse();
        assertThat(r.ret().has("retry_after")).isFalse();
        gw.meta().verify(0, anyRequestedFor(anyUrl()));

        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.direction()).isEqualTo("out");
        assertThat(row.peerId()).isEqualTo(peer);
        assertThat(row.lineId()).isEqualTo(gw.lineId);
        assertThat(row.msgId()).contains("crm-late");
        assertThat(row.metaMessageId()).isEmpty();
        assertThat(row.error()).hasValueSatisfying(e -> {
            assertThat(e.statusCode()).isEqualTo(240);
            assertThat(e.status()).isEqualTo("Outside messaging window");
            assertThat(e.detail()).isEqualTo(r.ret().path("detail").asText());
            assertThat(e.hasMetaError()).isFalse();
        });
    }

    @Test
    void theWindowRunsFromTheCustomersMessageTimeNotFromWhenMetaDeliversIt() {
        String peer = newPeer();
        long wrote = now() - 25 * HOUR;
        // delivered just now (entry.time is now), about a message written 25 hours ago
        long recorded = deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, wrote), gw.lineId, peer, wrote);

        assertThat(recorded).isEqualTo(wrote);
        assertRefused(send(gw.lineId, peer, ""), 422, 240, "Outside messaging window");
    }

    @Test
    void sendsWhenTheCustomerWrote23HoursAgo() {
        String peer = newPeer();
        long wrote = now() - 23 * HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, wrote), gw.lineId, peer, wrote);

        Gateway.Response r = send(gw.lineId, peer, "");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.ret().path("messageId").asText()).isEqualTo("MESSAGE-ID");
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)).withRequestBody(equalToJson(
                "{\"recipient\":{\"id\":\"" + peer + "\"},\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"Your order has shipped\"}}")));
        assertThat(gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow().state()).isEqualTo(LogState.SENT);
    }

    @Test
    void sendsToAPeerLinegateNeverHeardFromAndLetsMetaDecide() {
        String peer = newPeer();
        assertThat(gw.stores().conversations().lastInbound(gw.lineId, peer)).isEmpty();

        Gateway.Response r = send(gw.lineId, peer, "");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    @Test
    void stillMapsMetasOwnWindowErrorFor2534022To240() {
        gw.meta().resetAll();
        gw.metaAnswers(403, MetaSamples.error(10, 2534022, "IGApiException",
                "This message is sent outside of allowed window.", "AoWindow2534022"));
        String peer = newPeer();

        Gateway.Response r = send(gw.lineId, peer, "");

        assertRefused(r, 422, 240, "Outside messaging window");
        assertThat(r.ret().path("meta_error").path("code").asInt()).isEqualTo(10);
        assertThat(r.ret().path("meta_error").path("subcode").asInt()).isEqualTo(2534022);
        assertThat(r.ret().path("meta_error").path("fbtrace_id").asText()).isEqualTo("AoWindow2534022");
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.error()).hasValueSatisfying(e -> {
            assertThat(e.statusCode()).isEqualTo(240);
            assertThat(e.metaCode()).isEqualTo(10);
            assertThat(e.metaSubcode()).isEqualTo(2534022);
        });
    }

    // ---- HUMAN_AGENT: seven days, on permitted lines only -----------------------------------------------------------

    @Test
    void sendsWithTheHumanAgentTagSixDaysAfterTheCustomerWroteOnAPermittedLine() {
        String peer = newPeer();
        long wrote = now() - 6 * DAY;
        deliverAndAwaitWindow(gw, instagramMessage(AGENT_IG_ACCOUNT_ID, peer, wrote), agentLine, peer, wrote);

        Gateway.Response r = send(agentLine, peer, ",\"tag\":\"HUMAN_AGENT\"");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)).withRequestBody(equalToJson(
                "{\"recipient\":{\"id\":\"" + peer + "\"},\"messaging_type\":\"MESSAGE_TAG\",\"tag\":\"HUMAN_AGENT\","
                        + "\"message\":{\"text\":\"Your order has shipped\"}}")));
        assertThat(gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow().tag()).contains("HUMAN_AGENT");
    }

    @Test
    void withoutTheTagThePermittedLineKeepsTheStandard24HourWindow() {
        String peer = newPeer();
        long wrote = now() - 6 * DAY;
        deliverAndAwaitWindow(gw, instagramMessage(AGENT_IG_ACCOUNT_ID, peer, wrote), agentLine, peer, wrote);

        Gateway.Response r = send(agentLine, peer, "");

        assertRefused(r, 422, 240, "Outside messaging window");
        assertThat(r.ret().path("detail").asText()).contains("tag=HUMAN_AGENT");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void answers240WithoutCallingMetaWhenTheHumanAgentTagIsUsedEightDaysAfterTheCustomerWrote() {
        String peer = newPeer();
        long wrote = now() - 8 * DAY;
        deliverAndAwaitWindow(gw, instagramMessage(AGENT_IG_ACCOUNT_ID, peer, wrote), agentLine, peer, wrote);

        Gateway.Response r = send(agentLine, peer, ",\"tag\":\"HUMAN_AGENT\"");

        assertRefused(r, 422, 240, "Outside messaging window");
        assertThat(r.ret().path("detail").asText()).contains("7 days").contains(Instant.ofEpochMilli(wrote).toString());
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.tag()).contains("HUMAN_AGENT");
        assertThat(row.error()).hasValueSatisfying(e -> assertThat(e.statusCode()).isEqualTo(240));
    }

    @Test
    void answers234BeforeTheWindowCheckWhenTheLineHasNoHumanAgentPermission() {
        String peer = newPeer();
        long wrote = now() - 8 * DAY;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, wrote), gw.lineId, peer, wrote);

        Gateway.Response r = send(gw.lineId, peer, ",\"tag\":\"HUMAN_AGENT\"");

        assertRefused(r, 422, 234, "Human agent tag not enabled");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
        assertThat(gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow().error())
                .hasValueSatisfying(e -> assertThat(e.statusCode()).isEqualTo(234));
    }

    // ---- what opens the window again, and what does not --------------------------------------------------------

    @Test
    void aNewMessageFromTheCustomerReopensTheWindowForTheSameSend() {
        String peer = newPeer();
        long wrote = now() - 25 * HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, wrote), gw.lineId, peer, wrote);
        String request = ",\"msg_id\":\"crm-reopen\"";

        Gateway.Response refused = send(gw.lineId, peer, request);
        long again = now();
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, again), gw.lineId, peer, again);
        Gateway.Response sent = send(gw.lineId, peer, request);

        assertRefused(refused, 422, 240, "Outside messaging window");
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        assertThat(sent.ret().path("duplicate").asBoolean(false)).isFalse();
        assertThat(sent.ret().path("cdls_id").asLong()).isNotEqualTo(refused.ret().path("cdls_id").asLong());
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
        assertThat(gw.stores().log().find(refused.ret().path("cdls_id").asLong()).orElseThrow().state()).isEqualTo(LogState.FAILED);
        LogRow row = gw.stores().log().find(sent.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.SENT);
        assertThat(row.msgId()).contains("crm-reopen");
    }

    @Test
    void aReactionOrAPostbackFromTheCustomerReopensTheWindow() {
        String reacted = newPeer();
        String tapped = newPeer();
        long old = now() - 30 * HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, reacted, old), gw.lineId, reacted, old);
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, tapped, old), gw.lineId, tapped, old);
        long recent = now() - HOUR;

        deliverAndAwaitWindow(gw, MetaDeliveries.instagramReaction(Gateway.IG_ACCOUNT_ID, reacted, recent),
                gw.lineId, reacted, recent);
        deliverAndAwaitWindow(gw, MetaDeliveries.instagramPostback(Gateway.IG_ACCOUNT_ID, tapped, recent),
                gw.lineId, tapped, recent);

        assertThat(send(gw.lineId, reacted, "").status()).isEqualTo(200);
        assertThat(send(gw.lineId, tapped, "").status()).isEqualTo(200);
    }

    @Test
    void anEchoOfTheBusinessesOwnMessageOrASeenReceiptDoesNotReopenTheWindow() {
        String peer = newPeer();
        long wrote = now() - 25 * HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, wrote), gw.lineId, peer, wrote);

        deliver(gw, MetaDeliveries.instagramEcho(Gateway.IG_ACCOUNT_ID, peer, now()));
        deliver(gw, MetaDeliveries.instagramSeen(Gateway.IG_ACCOUNT_ID, peer, now()));

        assertThat(gw.stores().conversations().lastInbound(gw.lineId, peer)).contains(wrote);
        assertRefused(send(gw.lineId, peer, ""), 422, 240, "Outside messaging window");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anOlderMessageDeliveredLateDoesNotCloseTheWindow() {
        String peer = newPeer();
        long recent = now() - HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, recent), gw.lineId, peer, recent);

        deliver(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, now() - 30 * HOUR));

        assertThat(gw.stores().conversations().lastInbound(gw.lineId, peer)).contains(recent);
        Gateway.Response r = send(gw.lineId, peer, "");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    @Test
    void aRedeliveryOfAnOldMessageAfterANewOneDoesNotCloseTheWindow() {
        String peer = newPeer();
        String oldMid = newMid();
        long old = now() - 30 * HOUR;
        String oldDelivery = instagramMessage(Gateway.IG_ACCOUNT_ID, peer, old, oldMid);
        deliverAndAwaitWindow(gw, oldDelivery, gw.lineId, peer, old);
        long recent = now() - HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, recent), gw.lineId, peer, recent);

        deliver(gw, oldDelivery);

        assertThat(gw.stores().conversations().lastInbound(gw.lineId, peer)).contains(recent);
        assertThat(send(gw.lineId, peer, "").status()).isEqualTo(200);
        assertThat(gw.rows().stream().filter(row -> row.direction().equals("in") && row.peerId().equals(peer)))
                .as("one inbound row per message, the redelivery adds none").hasSize(2)
                .allSatisfy(row -> assertThat(row.state()).isEqualTo(LogState.RECEIVED));
    }

    @Test
    void oneDeliveryWithANewAndAnOldMessageKeepsTheNewest() {
        String peer = newPeer();
        long recent = now() - HOUR;
        long old = now() - 30 * HOUR;
        // the later event of the batch is the older message: it must not move the window back
        String batch = MetaDeliveries.batched(instagramMessage(Gateway.IG_ACCOUNT_ID, peer, recent),
                instagramMessage(Gateway.IG_ACCOUNT_ID, peer, old));

        deliverAndAwaitWindow(gw, batch, gw.lineId, peer, recent);

        assertThat(gw.stores().conversations().lastInbound(gw.lineId, peer)).contains(recent);
        assertThat(send(gw.lineId, peer, "").status()).isEqualTo(200);
    }

    // ---- per line and per peer ---------------------------------------------------------------------------------

    @Test
    void theWindowIsPerLineAndPerPeer() {
        String peer = newPeer();
        String otherPeer = newPeer();
        long old = now() - 25 * HOUR;
        long recent = now() - HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, old), gw.lineId, peer, old);
        deliverAndAwaitWindow(gw, instagramMessage(OTHER_IG_ACCOUNT_ID, peer, recent), otherLine, peer, recent);
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, otherPeer, recent), gw.lineId, otherPeer, recent);

        assertRefused(send(gw.lineId, peer, ""), 422, 240, "Outside messaging window");
        assertThat(gw.stores().conversations().lastInbound(otherLine, peer)).contains(recent);
        assertThat(send(otherLine, peer, "").status()).as("the same peer on another line").isEqualTo(200);
        assertThat(send(gw.lineId, otherPeer, "").status()).as("another peer on the same line").isEqualTo(200);
        assertThat(send(agentLine, peer, "").status()).as("a line that never heard from the peer").isEqualTo(200);
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(3);
    }

    // ---- check order: the duplicate answer and 291 come before 240 ---------------------------------------------

    @Test
    void answersTheDuplicateOfASentMessageEvenWhenTheWindowHasSinceClosed() {
        String peer = newPeer();
        Gateway.Response first = send(gw.lineId, peer, ",\"msg_id\":\"crm-dup-window\"");
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        // Linegate now learns that the customer last wrote 25 hours ago
        long wrote = now() - 25 * HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, wrote), gw.lineId, peer, wrote);

        Gateway.Response again = send(gw.lineId, peer, ",\"msg_id\":\"crm-dup-window\"");
        Gateway.Response fresh = send(gw.lineId, peer, ",\"msg_id\":\"crm-dup-window-2\"");

        assertThat(again.status()).as(again.raw()).isEqualTo(200);
        assertThat(again.ret().path("duplicate").asBoolean(false)).isTrue();
        assertThat(again.ret().path("messageId").asText()).isEqualTo(first.ret().path("messageId").asText());
        assertThat(again.ret().path("cdls_id").asLong()).isEqualTo(first.ret().path("cdls_id").asLong());
        assertRefused(fresh, 422, 240, "Outside messaging window");
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    @Test
    void answers291WhileTheFirstAttemptIsInFlightEvenWhenTheWindowHasSinceClosed() throws Exception {
        MetaStubs.answersAfter(gw.meta(), Duration.ofMillis(1500), 200, MetaSamples.read("ig-send-success.doc.json"));
        String peer = newPeer();
        CompletableFuture<Gateway.Response> first = CompletableFuture.supplyAsync(
                () -> send(gw.lineId, peer, ",\"msg_id\":\"crm-inflight-window\""));
        MetaStubs.awaitGraphCalls(gw.meta(), 1);
        long wrote = now() - 25 * HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, wrote), gw.lineId, peer, wrote);

        Gateway.Response second = send(gw.lineId, peer, ",\"msg_id\":\"crm-inflight-window\"");

        assertThat(first).as("the first attempt is still waiting for Meta").isNotDone();
        assertRefused(second, 409, 291, "Duplicate msg_id in progress");
        assertThat(first.get().status()).isEqualTo(200);
        assertThat(second.ret().path("cdls_id").asLong()).isEqualTo(first.get().ret().path("cdls_id").asLong());
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private Gateway.Response send(long line, String peer, String extra) {
        return gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + line + ",\"dest\":\"" + peer
                + "\",\"mdata\":\"Your order has shipped\"" + extra + "}");
    }

    private long instagramLine(String igAccountId) {
        return gw.stores().lines().create(new NewLine(gw.accountId, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.of(igAccountId), Optional.empty(), true, false));
    }

    /** Runs an operator command on the gateway's database, as {@code ./linegate ...} would; returns what it printed. */
    private String operator(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as("exit code of %s: %s", String.join(" ", args), err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8).replace(" ", "");
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
