package linegate.http.admin;

import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.OpenApiContract;
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
        long id = expect(201, "POST", "/admin/v1/accounts", admin.post("/admin/v1/accounts", "{\"name\":\"Bright Smiles\"}"))
                .body().path("id").asLong();
        String one = "/admin/v1/accounts/" + id;
        expect(200, "GET", one, admin.get(one));
        expect(200, "PATCH", one, admin.patch(one, "{\"name\":\"Bright Smiles Ltd\"}"));
        Gateway.Response withUrl = expect(200, "PATCH", one, admin.patch(one,
                "{\"callback_url\":\"http://127.0.0.1:9/linegate\"}"));
        Gateway.Response rotated = expect(200, "PATCH", one, admin.patch(one, "{\"rotate_secret\":true}"));
        expect(200, "PATCH", one, admin.patch(one, "{\"callback_url\":null}"));

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
        long id = expect(201, "POST", tokens, admin.post(tokens, "{\"label\":\"billing\"}")).body().path("id").asLong();
        expect(200, "GET", tokens, admin.get(tokens));
        expect(200, "DELETE", "/admin/v1/tokens/" + id, admin.delete("/admin/v1/tokens/" + id));

        expect(404, "GET", "/admin/v1/accounts/987654321/tokens", admin.get("/admin/v1/accounts/987654321/tokens"));
        expect(404, "POST", "/admin/v1/accounts/987654321/tokens", admin.post("/admin/v1/accounts/987654321/tokens", "{}"));
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
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}"))
                .build()));
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
    void unknownAdminPathsAndMethodsAnswerAsDocumented() {
        Gateway.Response unknown = admin.get("/admin/v1/nothing-here");
        Gateway.Response method = gw.send(admin.request("/admin/v1/accounts").header("Authorization", "Bearer " + admin.token)
                .PUT(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(method.status()).isEqualTo(405);
        contract.checkComponent("AdminUnknownEndpoint", unknown);
        contract.checkComponent("AdminMethodNotAllowed", method);
    }
}
