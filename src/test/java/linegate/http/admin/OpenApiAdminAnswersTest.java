package linegate.http.admin;

import com.github.tomakehurst.wiremock.client.WireMock;
import linegate.store.LineClass;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import linegate.testing.OpenApiContract;
import linegate.testing.Tenant;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.net.http.HttpRequest;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real answers of the operators' API ({@code /admin/v1}), with an admin token made by the command line and with the
 * console's session, checked against the OpenAPI document the gateway serves: each path and method, its successes
 * and its refusals in the {@code {"error":{"code","message"}}} shape.
 */
class OpenApiAdminAnswersTest extends GatewayPerDatabase {
    OpenApiContract contract;
    Admin admin;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Map.of("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true"); // a callback URL on loopback, not resolved elsewhere
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void readTheDocument() {
        contract = OpenApiContract.servedBy(gw);
        admin = new Admin(gw, env);
    }

    /** A successful change: its body is one the document's request body allows, and its answer as documented. */
    private Gateway.Response change(int status, String method, String path, String json) {
        contract.checkJsonRequest(method, path, json);
        return expect(status, method, path, admin.send(method, path, json));
    }

    /** Requires the HTTP status the case aims at, then checks the answer against the document. */
    private Gateway.Response expect(int status, String method, String target, Gateway.Response answer) {
        assertThat(answer.status()).as(method + " " + target + ": " + answer.raw()).isEqualTo(status);
        contract.check(method, target, answer);
        return answer;
    }

    @Test
    void accountsAnswerAsDocumented() {
        expect(200, "GET", "/admin/v1/accounts", admin.get("/admin/v1/accounts"));
        expect(200, "GET", "/admin/v1/accounts", admin.get("/admin/v1/accounts?limit=1"));
        long id = change(201, "POST", "/admin/v1/accounts", "{\"name\":\"Bright Smiles\"}")
                .body().path("id").asLong();
        String one = "/admin/v1/accounts/" + id;
        expect(200, "GET", one, admin.get(one));
        change(200, "PATCH", one, "{\"name\":\"Bright Smiles Ltd\"}");
        Gateway.Response withUrl = expect(200, "PATCH", one, admin.patch(one,
                "{\"callback_url\":\"http://127.0.0.1:9/linegate\"}"));
        Gateway.Response rotated = change(200, "PATCH", one, "{\"rotate_secret\":true}");
        change(200, "PATCH", one, "{\"callback_url\":null}");

        assertThat(withUrl.body().path("callback_secret").asText()).startsWith("whsec_");
        assertThat(rotated.body().has("previous_secret_valid_until")).isTrue();
        expect(404, "GET", "/admin/v1/accounts/987654321", admin.get("/admin/v1/accounts/987654321"));
        expect(404, "GET", "/admin/v1/accounts/x", admin.get("/admin/v1/accounts/x"));
        expect(422, "GET", "/admin/v1/accounts", admin.get("/admin/v1/accounts?limit=0"));
        expect(422, "GET", "/admin/v1/accounts", admin.get("/admin/v1/accounts?cursor=not-a-cursor"));
        expect(422, "POST", "/admin/v1/accounts", admin.post("/admin/v1/accounts", "{\"nme\":\"typo\"}"));
        expect(422, "PATCH", one, admin.patch(one, "{}"));
        expect(400, "POST", "/admin/v1/accounts", admin.post("/admin/v1/accounts", "[\"Bright Smiles\"]"));
        expect(413, "POST", "/admin/v1/accounts", admin.post("/admin/v1/accounts",
                "{\"name\":\"" + "n".repeat(70 * 1024) + "\"}"));
        expect(415, "POST", "/admin/v1/accounts", gw.send(admin.request("/admin/v1/accounts")
                .header("Authorization", "Bearer " + admin.token).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name=Bright")).build()));
        expect(401, "GET", "/admin/v1/accounts", gw.send(admin.request("/admin/v1/accounts")
                .header("Authorization", "Bearer " + gw.tsid).GET().build()));
    }

    @Test
    void tokensAnswerAsDocumented() {
        String tokens = "/admin/v1/accounts/" + gw.accountId + "/tokens";
        long id = change(201, "POST", tokens, "{\"label\":\"billing\"}").body().path("id").asLong();
        expect(200, "GET", tokens, admin.get(tokens));
        expect(200, "DELETE", "/admin/v1/tokens/" + id, admin.delete("/admin/v1/tokens/" + id));

        expect(404, "GET", "/admin/v1/accounts/987654321/tokens", admin.get("/admin/v1/accounts/987654321/tokens"));
        expect(404, "POST", "/admin/v1/accounts/987654321/tokens",
                admin.post("/admin/v1/accounts/987654321/tokens", "{}"));
        expect(404, "DELETE", "/admin/v1/tokens/987654321", admin.delete("/admin/v1/tokens/987654321"));
        expect(422, "POST", tokens, admin.post(tokens, "{\"label\":7}"));
    }

    @Test
    void theConsolesSessionAnswersAsDocumented() {
        Gateway.Response signedIn = expect(201, "POST", "/admin/v1/session", gw.send(admin.request("/admin/v1/session")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + admin.token + "\"}")).build()));
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String csrf = signedIn.body().path("csrf_token").asText();

        expect(200, "GET", "/admin/v1/session", gw.send(admin.request("/admin/v1/session").header("Cookie", cookie)
                .GET().build()));
        expect(200, "GET", "/admin/v1/session", admin.get("/admin/v1/session"));
        expect(403, "POST", "/admin/v1/accounts", gw.send(admin.request("/admin/v1/accounts").header("Cookie", cookie)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build()));
        expect(403, "POST", "/admin/v1/session", gw.send(admin.request("/admin/v1/session")
                .header("Origin", "https://elsewhere.example").header("Authorization", "Bearer " + admin.token)
                .POST(HttpRequest.BodyPublishers.noBody()).build()));
        expect(401, "POST", "/admin/v1/session", gw.send(admin.request("/admin/v1/session")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"lga_nobodyHoldsThis\"}")).build()));
        expect(204, "DELETE", "/admin/v1/session", gw.send(admin.request("/admin/v1/session").header("Cookie", cookie)
                .header("X-CSRF-Token", csrf).DELETE().build()));
        expect(401, "GET", "/admin/v1/session", gw.send(admin.request("/admin/v1/session").header("Cookie", cookie)
                .GET().build()));
    }

    @Test
    void linesAnswerAsDocumented() {
        expect(200, "GET", "/admin/v1/lines", admin.get("/admin/v1/lines"));
        expect(200, "GET", "/admin/v1/lines", admin.get("/admin/v1/lines?account=" + gw.accountId + "&limit=1"));
        Gateway.Response created = change(201, "POST", "/admin/v1/lines", "{\"account_id\":" + gw.accountId
                + ",\"class\":\"instagram\",\"ig_account_id\":\"" + Webhooks.newId("178414")
                + "\",\"page_token\":\"EAAFreshPageToken0123456789\",\"human_agent\":true,\"sends_per_second\":20}");
        String one = "/admin/v1/lines/" + created.body().path("id").asLong();
        expect(200, "GET", one, admin.get(one));
        for (String change : new String[] {"{\"active\":false,\"sends_per_second\":5}",
                "{\"sends_per_second\":null,\"active\":true}",
                "{\"paused_until\":\"" + java.time.Instant.now().plusSeconds(3600) + "\"}",
                "{\"paused_until\":null,\"page_token\":\"EAANewerPageToken0123456789\"}"}) {
            change(200, "PATCH", one, change);
        }

        assertThat(created.raw()).doesNotContain("EAAFreshPageToken0123456789");
        expect(404, "GET", "/admin/v1/lines/987654321", admin.get("/admin/v1/lines/987654321"));
        expect(409, "POST", "/admin/v1/lines", admin.post("/admin/v1/lines", "{\"account_id\":" + gw.accountId
                + ",\"class\":\"instagram\",\"ig_account_id\":\"" + Gateway.IG_ACCOUNT_ID + "\"}"));
        expect(422, "POST", "/admin/v1/lines", admin.post("/admin/v1/lines", "{\"account_id\":" + gw.accountId
                + ",\"class\":\"whatsapp\"}"));
        expect(422, "PATCH", one, admin.patch(one, "{}"));
        expect(422, "GET", "/admin/v1/lines", admin.get("/admin/v1/lines?account=x"));
    }

    @Test
    void aLineWithMetasUsageAnswersAsDocumented() {
        // every header Meta sends, its figures below LINEGATE_USAGE_PAUSE_PERCENT (95), so nothing pauses
        gw.meta().stubFor(WireMock.post(WireMock.urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(WireMock.aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("X-App-Usage", "{\"call_count\":12,\"total_cputime\":3,\"total_time\":5}")
                .withHeader("X-Business-Use-Case-Usage", "{\"" + Gateway.IG_ACCOUNT_ID + "\":[{\"type\":\"instagram\","
                        + "\"call_count\":81,\"total_cputime\":10,\"total_time\":20,"
                        + "\"estimated_time_to_regain_access\":0}]}")
                .withHeader("X-Page-Usage", "{\"call_count\":30,\"total_cputime\":2,\"total_time\":4}")
                .withBody(MetaSamples.read("ig-send-success.doc.json"))));
        try {
            assertThat(gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"1254477777772919\","
                    + "\"mdata\":\"Usage, please\"")).statusCode()).isEqualTo(200);
        } finally {
            gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        }
        String one = "/admin/v1/lines/" + gw.lineId;

        Gateway.Response line = expect(200, "GET", one, admin.get(one));
        Gateway.Response listed = expect(200, "GET", "/admin/v1/lines", admin.get("/admin/v1/lines?account="
                + gw.accountId));

        assertThat(line.body().path("usage").path("business").asInt()).isEqualTo(81);
        assertThat(line.body().path("usage").path("page").asInt()).isEqualTo(30);
        assertThat(listed.body().path("items").findValues("usage")).anySatisfy(u -> assertThat(u.isObject()).isTrue());
    }

    @Test
    void messagesAnswerAsDocumented() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        long cdlsId = gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"1254477777772919\","
                + "\"mdata\":\"For the log\"")).ret().path("cdls_id").asLong();

        expect(200, "GET", "/admin/v1/messages", admin.get("/admin/v1/messages"));
        expect(200, "GET", "/admin/v1/messages", admin.get("/admin/v1/messages?account=" + gw.accountId
                + "&state=sent&direction=out&dest=1254477777772919&since=2026-01-01T00:00:00Z&limit=2"));
        expect(200, "GET", "/admin/v1/messages/" + cdlsId, admin.get("/admin/v1/messages/" + cdlsId));

        expect(404, "GET", "/admin/v1/messages/987654321", admin.get("/admin/v1/messages/987654321"));
        expect(404, "GET", "/admin/v1/messages/x", admin.get("/admin/v1/messages/x"));
        expect(422, "GET", "/admin/v1/messages", admin.get("/admin/v1/messages?state=lost"));
        expect(422, "GET", "/admin/v1/messages", admin.get("/admin/v1/messages?since=yesterday"));
    }

    @Test
    void eventsAndRedeliveryAnswerAsDocumented() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        Tenant crm = Tenant.newAccount(gw, "Callback Clinic", LineClass.INSTAGRAM, "EAACallbackClinicToken0123456789");
        admin.patch("/admin/v1/accounts/" + crm.accountId(), "{\"callback_url\":\"http://127.0.0.1:9/linegate\"}");
        gw.postJson("/api/v2/MakeInstagram.php", crm.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"Hi\""));
        Gateway.Response events = expect(200, "GET", "/admin/v1/events", admin.get("/admin/v1/events?account="
                + crm.accountId()));
        String pending = events.body().path("items").path(0).path("event_id").asText();
        assertThat(pending).as("the send's event, still pending: its callback URL answers nothing").startsWith("evt_");

        expect(200, "GET", "/admin/v1/events", admin.get("/admin/v1/events"));
        expect(200, "GET", "/admin/v1/events", admin.get("/admin/v1/events?state=dead&type=message.status"));
        change(200, "POST", "/admin/v1/events/redeliver", "{\"account_id\":" + crm.accountId()
                + ",\"since\":\"2026-01-01T00:00:00Z\"}");
        expect(409, "POST", "/admin/v1/events/redeliver", admin.post("/admin/v1/events/redeliver",
                "{\"event_ids\":[\"" + pending + "\"]}"));
        expect(404, "POST", "/admin/v1/events/redeliver", admin.post("/admin/v1/events/redeliver",
                "{\"event_ids\":[\"evt_00000000000000000000000000\"]}"));
        expect(422, "POST", "/admin/v1/events/redeliver", admin.post("/admin/v1/events/redeliver",
                "{\"account_id\":" + gw.accountId + "}"));
        expect(422, "GET", "/admin/v1/events", admin.get("/admin/v1/events?type=message.lost"));
    }

    @Test
    void unknownAdminPathsAndMethodsAnswerAsDocumented() {
        Gateway.Response unknown = admin.get("/admin/v1/nothing-here");
        Gateway.Response method = gw.send(admin.request("/admin/v1/accounts")
                .header("Authorization", "Bearer " + admin.token).PUT(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(method.status()).isEqualTo(405);
        contract.checkComponent("AdminUnknownEndpoint", unknown);
        contract.checkComponent("AdminMethodNotAllowed", method);
    }
}
