package linegate.http;

import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaDeliveries;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static linegate.http.Answers.assertRefused;
import static linegate.testing.MetaDeliveries.deliverAndAwaitWindow;
import static linegate.testing.MetaDeliveries.instagramMessage;
import static linegate.testing.MetaDeliveries.newPeer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window as data (docs/api.md, "The window as data"): a send's 200, a duplicate's 200 and MessageStatus carry the
 * conversation's window when Linegate knows the customer, and only then (the seed's answer, byte for byte,
 * otherwise); Conversation.php answers it for one customer. The customer's message arrives as in production, as
 * Meta's signed webhook. Both databases.
 */
class WindowAsDataTest extends GatewayPerDatabase {
    private static final String SEND = "/api/v2/MakeInstagram.php";
    private static final String AGENT_IG_ACCOUNT_ID = "17841400000000999";
    private static final String OTHER_IG_ACCOUNT_ID = "17841400000000555";
    private static final String MESSAGE_ID = "MESSAGE-ID"; // ig-send-success.doc.json's
    /** A message of the customer's to react to, as Meta's ids look. */
    private static final String REACTED_TO = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjEyNTAyNDAyNjQwOTMwOjM0MDI4MjM2Njg0MT"
            + "cxMDMwMTI0NDI1ODE4NzUxOTk3OTcyODI5MjozMjM4NzQ4MDk1NTU2NDIxMjIzNDE1NjY3NTg0NzY4NDA5NgZDZD";

    long agentLine;
    long otherAccountsLine;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Gateway.env("LINEGATE_APP_SECRET", MetaDeliveries.APP_SECRET);
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void createLines() {
        agentLine = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.of(AGENT_IG_ACCOUNT_ID),
                Optional.empty(), true, true));
        long otherAccount = gw.stores().accounts().create("Another clinic");
        otherAccountsLine = gw.stores().lines().create(new NewLine(otherAccount, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.of(OTHER_IG_ACCOUNT_ID),
                Optional.empty(), true, false));
    }

    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
    }

    @Test
    void aSendsAnswerCarriesTheWindowOfACustomerWhoWrote() {
        String peer = newPeer();
        long wrote = wrote(Gateway.IG_ACCOUNT_ID, gw.lineId, peer, Duration.ofHours(3));

        Gateway.Response r = send(gw.lineId, peer, "");

        assertThat(r.raw()).isEqualTo("{\"return\":{\"status\":\"OK\",\"status_code\":200,\"messageId\":\"" + MESSAGE_ID
                + "\",\"cdls_id\":" + r.ret().path("cdls_id").asLong() + ",\"window\":" + window(wrote, false) + "}}");
    }

    @Test
    void onALineWithTheHumanAgentPermissionTheWindowSaysWhenItsSevenDaysEnd() {
        String peer = newPeer();
        long wrote = wrote(AGENT_IG_ACCOUNT_ID, agentLine, peer, Duration.ofHours(30));

        Gateway.Response r = send(agentLine, peer, ",\"tag\":\"HUMAN_AGENT\"");

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertThat(r.ret().path("window").toString()).isEqualTo(window(wrote, true));
    }

    @Test
    void aSendToACustomerLinegateNeverHeardFromAnswersTheSeedsAnswerByteForByte() {
        Gateway.Response r = send(gw.lineId, newPeer(), "");

        assertThat(r.raw()).isEqualTo("{\"return\":{\"status\":\"OK\",\"status_code\":200,\"messageId\":\"" + MESSAGE_ID
                + "\",\"cdls_id\":" + r.ret().path("cdls_id").asLong() + "}}");
    }

    @Test
    void aDuplicatesAnswerCarriesTheWindowAfterDuplicate() {
        String peer = newPeer();
        long wrote = wrote(Gateway.IG_ACCOUNT_ID, gw.lineId, peer, Duration.ofMinutes(5));
        Gateway.Response first = send(gw.lineId, peer, ",\"msg_id\":\"crm-window-dup-" + peer + "\"");

        Gateway.Response again = send(gw.lineId, peer, ",\"msg_id\":\"crm-window-dup-" + peer + "\"");

        assertThat(again.raw()).isEqualTo("{\"return\":{\"status\":\"OK\",\"status_code\":200,\"messageId\":\""
                + MESSAGE_ID + "\",\"cdls_id\":" + first.ret().path("cdls_id").asLong()
                + ",\"duplicate\":true,\"window\":" + window(wrote, false) + "}}");
    }

    @Test
    void aReactionsAnswerAndItsDuplicateCarryTheWindowWithoutAMessageId() {
        gw.metaAnswers(200, MetaSamples.read("ig-react-unreact-success.doc.json"));
        String peer = newPeer();
        long wrote = wrote(Gateway.IG_ACCOUNT_ID, gw.lineId, peer, Duration.ofHours(2));
        String reaction = "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + gw.lineId + ",\"dest\":\"" + peer
                + "\",\"mtype\":\"reaction\",\"mdata\":\"love\",\"reply_to\":\"" + REACTED_TO
                + "\",\"msg_id\":\"crm-window-react-" + peer + "\"}";

        Gateway.Response r = gw.postJson(SEND, reaction);
        Gateway.Response again = gw.postJson(SEND, reaction);

        long cdlsId = r.ret().path("cdls_id").asLong();
        assertThat(r.raw()).isEqualTo("{\"return\":{\"status\":\"OK\",\"status_code\":200,\"cdls_id\":" + cdlsId
                + ",\"window\":" + window(wrote, false) + "}}");
        assertThat(again.raw()).isEqualTo("{\"return\":{\"status\":\"OK\",\"status_code\":200,\"cdls_id\":"
                + cdlsId + ",\"duplicate\":true,\"window\":" + window(wrote, false) + "}}");
    }

    @Test
    void messageStatusCarriesTheWindowBesideTheMessageWhenTheCustomerIsKnown() {
        String known = newPeer();
        long wrote = wrote(Gateway.IG_ACCOUNT_ID, gw.lineId, known, Duration.ofHours(1));
        long knownId = send(gw.lineId, known, "").ret().path("cdls_id").asLong();
        long unknownId = send(gw.lineId, newPeer(), "").ret().path("cdls_id").asLong();

        Gateway.Response withWindow = gw.get("/api/v2/MessageStatus.php?tsid=" + gw.tsid + "&cdls_id=" + knownId);
        Gateway.Response without = gw.get("/api/v2/MessageStatus.php?tsid=" + gw.tsid + "&cdls_id=" + unknownId);

        assertThat(withWindow.ret().path("message").path("cdls_id").asLong()).isEqualTo(knownId);
        assertThat(withWindow.ret().path("message").has("window")).isFalse();
        assertThat(withWindow.raw()).endsWith("},\"window\":" + window(wrote, false) + "}}");
        assertThat(without.ret().path("message").path("cdls_id").asLong()).isEqualTo(unknownId);
        assertThat(without.raw()).doesNotContain("window");
    }

    @Test
    void conversationAnswersTheWindowOfOneCustomerFromEverySource() {
        String peer = newPeer();
        long wrote = wrote(AGENT_IG_ACCOUNT_ID, agentLine, peer, Duration.ofHours(2));
        String expected = "{\"return\":{\"status\":\"OK\",\"status_code\":200,\"window\":" + window(wrote, true) + "}}";

        Gateway.Response query = gw.get("/api/v2/Conversation.php?tsid=" + gw.tsid + "&app_id=" + agentLine
                + "&dest=" + peer);
        Gateway.Response bearer = gw.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.baseUrl()
                        + "/api/v2/Conversation?app_id=" + agentLine + "&dest=" + peer))
                .header("Authorization", "Bearer " + gw.tsid).GET().build());
        Gateway.Response json = gw.postJson("/api/v2/Conversation.php", "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":"
                + agentLine + ",\"dest\":" + peer + "}");
        Gateway.Response form = gw.post("/api/v2/Conversation.php", "application/x-www-form-urlencoded",
                "tsid=" + gw.tsid + "&app_id=" + agentLine + "&dest=" + peer, Map.of());

        for (Gateway.Response r : new Gateway.Response[]{query, bearer, json, form}) {
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.raw()).isEqualTo(expected);
        }
    }

    @Test
    void conversationAnswers235ForACustomerLinegateNeverHeardFrom() {
        Gateway.Response r = conversation("app_id=" + gw.lineId + "&dest=" + newPeer());

        assertRefused(r, 404, 235, "Conversation not found");
        assertThat(r.ret().has("window")).isFalse();
    }

    @Test
    void conversationAnswersAnotherAccountsLineExactlyAsAnUnknownCustomer() {
        String peer = newPeer();
        wrote(OTHER_IG_ACCOUNT_ID, otherAccountsLine, peer, Duration.ofHours(1));

        Gateway.Response r = conversation("app_id=" + otherAccountsLine + "&dest=" + peer);

        assertRefused(r, 404, 235, "Conversation not found");
        assertThat(r.raw()).doesNotContain("last_inbound_at");
    }

    @Test
    void conversationChecksItsParametersAsASendDoes() {
        assertRefused(conversation("dest=" + newPeer()), 400, 210, "No app_id");
        assertRefused(conversation("app_id=x&dest=" + newPeer()), 400, 211, "Invalid app_id");
        assertRefused(conversation("app_id=" + gw.lineId), 400, 220, "No dest");
        assertRefused(conversation("app_id=" + gw.lineId + "&dest=alice"), 400, 221, "Invalid dest");
        assertRefused(gw.get("/api/v2/Conversation.php?app_id=" + gw.lineId + "&dest=1"), 401, 100, "No tsid");
        assertRefused(gw.get("/api/v2/Conversation.php?tsid=wrong&app_id=" + gw.lineId + "&dest=1"), 401, 101,
                "Invalid tsid");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** The customer wrote {@code ago} before now, to the line on {@code igAccountId}; when, as Meta's webhook said. */
    private long wrote(String igAccountId, long lineId, String peer, Duration ago) {
        long at = System.currentTimeMillis() - ago.toMillis();
        deliverAndAwaitWindow(gw, instagramMessage(igAccountId, peer, at), lineId, peer, at);
        return at;
    }

    private static String window(long wrote, boolean humanAgent) {
        Instant at = Instant.ofEpochMilli(wrote);
        return "{\"last_inbound_at\":\"" + at + "\",\"expires_at\":\"" + at.plus(Duration.ofHours(24))
                + "\",\"human_agent_until\":" + (humanAgent ? "\"" + at.plus(Duration.ofDays(7)) + "\"" : "null") + "}";
    }

    private Gateway.Response send(long line, String peer, String extra) {
        return gw.postJson(SEND, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + line + ",\"dest\":\"" + peer
                + "\",\"mdata\":\"Your appointment is confirmed\"" + extra + "}");
    }

    private Gateway.Response conversation(String query) {
        return gw.get("/api/v2/Conversation.php?tsid=" + gw.tsid + "&" + query);
    }
}
