package linegate.http;

import linegate.store.LineClass;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaDeliveries;
import linegate.testing.MetaSamples;
import linegate.testing.OpenApiContract;
import linegate.testing.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real answers of every path but the send endpoints, checked against the OpenAPI document the gateway serves:
 * MessageStatus, Conversation and the event feed from each parameter source with their refusals, SenderAction, Meta's
 * webhook (handshake and delivery, accepted and refused), health, metrics. The feed's events (a customer's message, a
 * send's status, a line's health) are checked against the document's event object.
 */
class OpenApiLookupAnswersTest extends GatewayPerDatabase {
    static final String STATUS = "/api/v2/MessageStatus.php";
    static final String CONVERSATION = "/api/v2/Conversation.php";
    static final String EVENTS = "/api/v2/Events.php";
    static final String SENDER_ACTION = "/api/v2/SenderAction.php";
    static final String VERIFY_TOKEN = "openapi-verify-token";

    OpenApiContract contract;
    String customer;
    long cdlsId;
    String msgId;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Map.of("LINEGATE_APP_SECRET", MetaDeliveries.APP_SECRET, "LINEGATE_VERIFY_TOKEN", VERIFY_TOKEN);
    }

    /** A customer who wrote (so the window is known), and a send to them Meta accepted (events, a message). */
    @BeforeParameterizedClassInvocation(injectArguments = false)
    void aCustomerWroteAndWasAnswered() {
        contract = OpenApiContract.servedBy(gw);
        customer = MetaDeliveries.newPeer();
        MetaDeliveries.deliverAndAwaitWindow(gw, MetaDeliveries.instagramMessage(Gateway.IG_ACCOUNT_ID, customer,
                System.currentTimeMillis()), gw.lineId, customer, 0);
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        msgId = "oa-lookup-" + db;
        Gateway.Response sent = gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"" + customer
                + "\",\"mdata\":\"How can we help?\",\"msg_id\":\"" + msgId + "\""));
        cdlsId = contract.check(200, "POST", "/api/v2/MakeInstagram.php", sent).ret().path("cdls_id").asLong();
    }

    @Test
    void messageStatusFromEachParameterSourceAnswersAsDocumented() {
        contract.checkRequest("GET", STATUS + "?cdls_id=" + cdlsId + "&tsid=x&msg_id=y", null, null);
        contract.checkJsonRequest("POST", STATUS, "{\"tsid\":\"" + gw.tsid + "\",\"msg_id\":\"" + msgId
                + "\",\"cdls_id\":1}");
        contract.checkFormRequest("POST", STATUS, "multipart/form-data", Map.of("tsid", gw.tsid, "cdls_id", "1"));
        Gateway.Response byQuery = contract.check(200, "GET", STATUS + "?cdls_id=" + cdlsId,
                get(STATUS + "?cdls_id=" + cdlsId));
        contract.check(200, "POST", STATUS, gw.postJson(STATUS, "{\"tsid\":\"" + gw.tsid + "\",\"msg_id\":\"" + msgId
                + "\"}"));
        contract.check(200, "POST", STATUS, form(STATUS, Map.of("tsid", gw.tsid, "cdls_id", Long.toString(cdlsId))));
        contract.check(200, "POST", STATUS, multipart(STATUS, Map.of("tsid", gw.tsid, "msg_id", msgId)));
        contract.check(200, "GET", "/api/v2/MessageStatus", get("/api/v2/MessageStatus?msg_id=" + msgId));
        contract.check(200, "POST", "/api/v2/MessageStatus", gw.postJson("/api/v2/MessageStatus",
                "{\"tsid\":\"" + gw.tsid + "\",\"cdls_id\":" + cdlsId + "}"));

        assertThat(byQuery.ret().has("window")).as("the customer wrote: the answer has the window").isTrue();
        contract.check(235, "GET", STATUS, get(STATUS + "?cdls_id=987654321"));
        contract.check(236, "GET", STATUS, get(STATUS));
        contract.check(297, "GET", STATUS, get(STATUS + "?cdls_id=abc"));
        contract.check(100, "GET", STATUS, gw.get(STATUS + "?cdls_id=" + cdlsId));
        contract.check(201, "POST", STATUS, gw.post(STATUS, "application/json", "[1,2]", Map.of()));
    }

    @Test
    void conversationFromEachParameterSourceAnswersAsDocumented() {
        String query = "?app_id=" + gw.lineId + "&dest=" + customer;

        contract.checkRequest("GET", CONVERSATION + query + "&v8l_id=1&tsid=x", null, null);
        contract.checkJsonRequest("POST", CONVERSATION, gw.sendJson("\"dest\":" + customer));
        contract.checkFormRequest("POST", CONVERSATION, "application/x-www-form-urlencoded", Map.of("tsid", gw.tsid,
                "v8l_id", "1", "dest", customer));
        contract.check(200, "GET", CONVERSATION, get(CONVERSATION + query));
        contract.check(200, "POST", CONVERSATION, gw.postJson(CONVERSATION, gw.sendJson("\"dest\":" + customer)));
        contract.check(200, "POST", CONVERSATION, form(CONVERSATION, Map.of("tsid", gw.tsid,
                "app_id", Long.toString(gw.lineId), "dest", customer)));
        contract.check(200, "POST", CONVERSATION, multipart(CONVERSATION, Map.of("tsid", gw.tsid,
                "v8l_id", Long.toString(gw.lineId), "dest", customer)));
        contract.check(200, "GET", "/api/v2/Conversation", get("/api/v2/Conversation" + query));
        contract.check(200, "POST", "/api/v2/Conversation", gw.postJson("/api/v2/Conversation",
                gw.sendJson("\"dest\":\"" + customer + "\"")));

        contract.check(235, "GET", CONVERSATION, get(CONVERSATION + "?app_id=" + gw.lineId + "&dest="
                + MetaDeliveries.newPeer()));
        contract.check(210, "GET", CONVERSATION, get(CONVERSATION + "?dest=" + customer));
        contract.check(211, "GET", CONVERSATION, get(CONVERSATION + "?app_id=x&dest=" + customer));
        contract.check(220, "GET", CONVERSATION, get(CONVERSATION + "?app_id=" + gw.lineId));
        contract.check(221, "GET", CONVERSATION, get(CONVERSATION + "?app_id=" + gw.lineId + "&dest=%40someone"));
        contract.check(101, "GET", CONVERSATION, gw.get(CONVERSATION + query + "&tsid=lgt_nobody"));
    }

    @Test
    void theFeedFromEachParameterSourceAnswersAsDocumentedWithItsEvents() {
        contract.checkRequest("GET", EVENTS + "?after=0&limit=500&wait=0&tsid=x", null, null);
        contract.checkJsonRequest("POST", EVENTS, "{\"tsid\":\"" + gw.tsid + "\",\"after\":1,\"limit\":2}");
        contract.checkFormRequest("POST", EVENTS, "multipart/form-data", Map.of("tsid", gw.tsid, "limit", "1"));
        Gateway.Response page = contract.check(200, "GET", EVENTS, get(EVENTS + "?after=0&limit=500"));
        contract.check(200, "POST", EVENTS, gw.postJson(EVENTS, "{\"tsid\":\"" + gw.tsid
                + "\",\"after\":1,\"limit\":2}"));
        contract.check(200, "POST", EVENTS, form(EVENTS, Map.of("tsid", gw.tsid, "after", "0", "wait", "0")));
        contract.check(200, "POST", EVENTS, multipart(EVENTS, Map.of("tsid", gw.tsid, "limit", "1")));
        contract.check(200, "GET", "/api/v2/Events", get("/api/v2/Events?after=999999"));
        contract.check(200, "POST", "/api/v2/Events", gw.postJson("/api/v2/Events", "{\"tsid\":\"" + gw.tsid + "\"}"));

        assertThat(types(page)).as("the events the document's schema was checked on")
                .contains("message.received", "message.status", "line.status");
        contract.check(293, "GET", EVENTS, get(EVENTS + "?after=-1"));
        contract.check(294, "GET", EVENTS, get(EVENTS + "?limit=501"));
        contract.check(295, "GET", EVENTS, get(EVENTS + "?wait=31"));
    }

    @Test
    void senderActionFromEachParameterSourceAnswersAsDocumented() {
        gw.metaAnswers(200, MetaSamples.read("ig-react-unreact-success.doc.json"));

        contract.checkJsonRequest("POST", SENDER_ACTION, gw.sendJson("\"dest\":" + customer
                + ",\"action\":\"typing_on\""));
        contract.checkFormRequest("POST", SENDER_ACTION, "multipart/form-data", Map.of("tsid", gw.tsid,
                "app_id", Long.toString(gw.lineId), "dest", customer, "action", "typing_off"));
        contract.checkRequest("POST", SENDER_ACTION + "?tsid=x&app_id=1&dest=1&action=mark_seen", null, null);
        contract.check(200, "POST", SENDER_ACTION, gw.postJson(SENDER_ACTION, gw.sendJson("\"dest\":\"" + customer
                + "\",\"action\":\"typing_on\"")));
        contract.check(200, "POST", SENDER_ACTION, form(SENDER_ACTION, Map.of("tsid", gw.tsid,
                "app_id", Long.toString(gw.lineId), "dest", customer, "action", "mark_seen")));
        contract.check(200, "POST", SENDER_ACTION, multipart(SENDER_ACTION, Map.of("tsid", gw.tsid,
                "app_id", Long.toString(gw.lineId), "dest", customer, "action", "typing_off")));
        contract.check(200, "POST", "/api/v2/SenderAction", gw.post("/api/v2/SenderAction?tsid=" + enc(gw.tsid)
                + "&app_id=" + gw.lineId + "&dest=" + customer + "&action=typing_on", null, "", Map.of()));

        contract.check(239, "POST", SENDER_ACTION, gw.postJson(SENDER_ACTION, gw.sendJson("\"dest\":\"" + customer
                + "\",\"action\":\"typing\"")));
        contract.check(230, "POST", SENDER_ACTION, gw.postJson(SENDER_ACTION, "{\"tsid\":\"" + gw.tsid
                + "\",\"app_id\":987654321,\"dest\":\"1\",\"action\":\"typing_on\"}"));
        long noToken = Tenant.newLine(gw, LineClass.INSTAGRAM, "EAAUnused0123456789").lineId();
        gw.execute("UPDATE lines SET page_token_sealed = NULL WHERE id = " + noToken);
        contract.check(233, "POST", SENDER_ACTION, gw.postJson(SENDER_ACTION, "{\"tsid\":\"" + gw.tsid
                + "\",\"app_id\":" + noToken + ",\"dest\":\"" + customer + "\",\"action\":\"typing_on\"}"));
        gw.metaAnswers(400, MetaSamples.error(551, null, "OAuthException", "This person isn't available right now.",
                "AmFGcW_3hwDB7qFbl_QdebZ"));
        contract.check(241, "POST", SENDER_ACTION, gw.postJson(SENDER_ACTION, gw.sendJson("\"dest\":\"" + customer
                + "\",\"action\":\"typing_on\"")));
        gw.metaAnswers(400, MetaSamples.error(2, null, "OAuthException", "An unexpected error has occurred.",
                "AmFGcW_3hwDB7qFbl_QdebZ"));
        contract.check(270, "POST", SENDER_ACTION, gw.postJson(SENDER_ACTION, gw.sendJson("\"dest\":\"" + customer
                + "\",\"action\":\"typing_on\"")));
    }

    @Test
    void metasWebhookAnswersAsDocumented() {
        String handshake = "/webhooks/meta?hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN
                + "&hub.challenge=1158201444";
        Gateway.Response challenge = gw.get(handshake);
        contract.check("GET", "/webhooks/meta", challenge);
        contract.check("GET", "/webhooks/meta", gw.get(handshake.replace(VERIFY_TOKEN, "guess")));
        contract.check("POST", "/webhooks/meta", MetaDeliveries.post(gw, MetaDeliveries.instagramMessage(
                Gateway.IG_ACCOUNT_ID, MetaDeliveries.newPeer(), System.currentTimeMillis())));
        Gateway.Response forged = gw.post("/webhooks/meta", "application/json",
                "{\"object\":\"instagram\",\"entry\":[]}", Map.of("X-Hub-Signature-256", "sha256=" + "0".repeat(64)));
        contract.check("POST", "/webhooks/meta", forged);

        assertThat(challenge.status()).isEqualTo(200);
        assertThat(forged.status()).isEqualTo(403);
    }

    @Test
    void theConsolesFilesAnswerAsDocumented() {
        for (String path : new String[] {"/console", "/console/console.css", "/console/dom.js", "/console/icon.svg",
                "/console/nothing.js"}) {
            contract.check("GET", path, gw.get(path));
        }
        assertThat(gw.get("/console").status()).isEqualTo(200);
        assertThat(gw.get("/console/nothing.js").status()).isEqualTo(404);
    }

    @Test
    void healthAndMetricsAnswerAsDocumented() {
        for (String path : new String[] {"/health", "/health/ready", "/health/live", "/metrics"}) {
            Gateway.Response answer = gw.get(path);
            assertThat(answer.status()).as(path).isEqualTo(200);
            contract.check("GET", path, answer);
        }
    }

    private static java.util.Set<String> types(Gateway.Response page) {
        return java.util.stream.StreamSupport.stream(page.ret().path("events").spliterator(), false)
                .map(event -> event.path("type").asText()).collect(Collectors.toSet());
    }

    /** A GET with the account's token in the Authorization header. */
    private Gateway.Response get(String target) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + target))
                .header("Authorization", "Bearer " + gw.tsid).GET().build());
    }

    private Gateway.Response form(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(f -> enc(f.getKey()) + "=" + enc(f.getValue()))
                .collect(Collectors.joining("&"));
        return gw.post(path, "application/x-www-form-urlencoded", body, Map.of());
    }

    private Gateway.Response multipart(String path, Map<String, String> fields) {
        String boundary = "----oa" + System.nanoTime();
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        body.append("--").append(boundary).append("--\r\n");
        return gw.post(path, "multipart/form-data; boundary=" + boundary, body.toString(), Map.of());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
