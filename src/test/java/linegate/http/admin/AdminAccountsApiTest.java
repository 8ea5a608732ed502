package linegate.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /admin/v1/accounts, an account's tokens, and DELETE /admin/v1/tokens/{id} (contract §12), through the real server on
 * both databases: the shapes, 201 on create, 404/415/400/413/422 in the admin error shape, paging, callback secrets
 * shown once and never again, tokens never listed, and the command line's messages for the same bad input.
 */
class AdminAccountsApiTest extends GatewayPerDatabase {
    Admin admin;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Map.of("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true");
    }

    @BeforeParameterizedClassInvocation
    void adminToken() {
        admin = new Admin(gw, env);
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    long createAccount(String name) {
        Gateway.Response r = admin.post("/admin/v1/accounts", "{\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    @Test
    void createsReadsAndListsAccounts() {
        Gateway.Response created = admin.post("/admin/v1/accounts", "{\"name\":\"  Bright Smiles  \"}");

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(fields(created.body())).containsExactly("id", "name", "callback_url", "created_at", "dead_events");
        assertThat(created.body().get("name").asText()).isEqualTo("Bright Smiles");
        assertThat(created.body().get("callback_url").isNull()).isTrue();
        long id = created.body().get("id").asLong();
        Gateway.Response read = admin.get("/admin/v1/accounts/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(created.body());
        Gateway.Response listed = admin.get("/admin/v1/accounts?limit=500");
        assertThat(listed.body().path("items").findValuesAsText("name")).contains("Acme Dental", "Bright Smiles");
        assertThat(listed.body().get("next").isNull()).isTrue();
    }

    @Test
    void pagesWalkEveryAccountOnce() {
        for (int i = 0; i < 5; i++) {
            createAccount("Paged " + i);
        }
        List<Long> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            Gateway.Response page = admin.get("/admin/v1/accounts?limit=2" + (next == null ? "" : "&cursor=" + next));
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            assertThat(page.body().get("items").size()).isLessThanOrEqualTo(2);
            page.body().get("items").forEach(a -> seen.add(a.get("id").asLong()));
            next = page.body().get("next").isNull() ? null : page.body().get("next").asText();
            pages++;
        } while (next != null && pages < 100);

        assertThat(seen).doesNotHaveDuplicates().isSorted().hasSizeGreaterThanOrEqualTo(6);
        assertThat(pages).isGreaterThanOrEqualTo(3);
        Admin.error(admin.get("/admin/v1/accounts?cursor=bm9wZQ"), 422, "invalid");
        Admin.error(admin.get("/admin/v1/accounts?limit=0"), 422, "invalid");
        Admin.error(admin.get("/admin/v1/accounts?limit=501"), 422, "invalid");
    }

    @Test
    void aMissingAccountIs404() {
        Admin.error(admin.get("/admin/v1/accounts/999999"), 404, "not_found");
        Admin.error(admin.get("/admin/v1/accounts/abc"), 404, "not_found");
        Admin.error(admin.patch("/admin/v1/accounts/999999", "{\"name\":\"x\"}"), 404, "not_found");
        Admin.error(admin.get("/admin/v1/accounts/999999/tokens"), 404, "not_found");
        Admin.error(admin.post("/admin/v1/accounts/999999/tokens", "{}"), 404, "not_found");
        Admin.error(admin.delete("/admin/v1/tokens/999999"), 404, "not_found");
        Admin.error(admin.get("/admin/v1/nothing-here"), 404, "not_found");
    }

    @Test
    void badBodiesAre400Or415Or413Or422NeverA500() {
        Admin.error(admin.post("/admin/v1/accounts", "{\"name\":"), 400, "malformed");
        Admin.error(admin.post("/admin/v1/accounts", "[\"name\"]"), 400, "malformed");
        Admin.error(admin.post("/admin/v1/accounts", "{\"name\":\"a\",\"name\":\"b\"}"), 400, "malformed");
        Admin.error(admin.post("/admin/v1/accounts", "{\"name\":42}"), 422, "invalid");
        Admin.error(admin.post("/admin/v1/accounts", "{\"nmae\":\"typo\"}"), 422, "invalid");
        Admin.error(admin.post("/admin/v1/accounts", "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}"), 413, "too_large");
        Gateway.Response form = gw.send(admin.request("/admin/v1/accounts").header("Authorization", "Bearer " + admin.token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=x")).build());
        Admin.error(form, 415, "unsupported_media_type");
        Gateway.Response put = admin.send("PUT", "/admin/v1/accounts", "{}");
        assertThat(put.status()).isIn(404, 405);
        assertThat(put.body().path("error").path("code").asText()).isIn("not_found", "method_not_allowed");
    }

    @Test
    void theApiAndTheCommandLineRefuseABlankNameWithTheSameMessage() {
        String api = Admin.error(admin.post("/admin/v1/accounts", "{\"name\":\"   \"}"), 422, "invalid");
        Admin.Cli cli = admin.cli("account", "create", "--name", "   ");

        assertThat(cli.code()).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo("linegate: " + api);
        assertThat(api).isEqualTo("name (--name) must not be empty");
    }

    @Test
    void aCallbackSecretIsShownOnceAndRotationShowsTheNextOnce() {
        long id = createAccount("Callbacks");

        Gateway.Response set = admin.patch("/admin/v1/accounts/" + id, "{\"callback_url\":\"http://127.0.0.1:9/crm\"}");
        assertThat(set.status()).as(set.raw()).isEqualTo(200);
        String secret = set.body().get("callback_secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(set.body().get("callback_url").asText()).isEqualTo("http://127.0.0.1:9/crm");
        Gateway.Response again = admin.get("/admin/v1/accounts/" + id);
        assertThat(again.raw()).doesNotContain(secret).doesNotContain("callback_secret");
        assertThat(admin.get("/admin/v1/accounts?limit=500").raw()).doesNotContain(secret);

        Gateway.Response rotated = admin.patch("/admin/v1/accounts/" + id, "{\"rotate_secret\":true}");
        assertThat(rotated.status()).as(rotated.raw()).isEqualTo(200);
        assertThat(rotated.body().get("callback_secret").asText()).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(rotated.body().get("previous_secret_valid_until").asText()).isNotEmpty();

        Gateway.Response renamed = admin.patch("/admin/v1/accounts/" + id, "{\"name\":\"Renamed\"}");
        assertThat(renamed.body().get("name").asText()).isEqualTo("Renamed");
        assertThat(renamed.raw()).doesNotContain("whsec_");

        Gateway.Response removed = admin.patch("/admin/v1/accounts/" + id, "{\"callback_url\":\"\"}");
        assertThat(removed.body().get("callback_url").isNull()).isTrue();
        Admin.error(admin.patch("/admin/v1/accounts/" + id, "{\"rotate_secret\":true}"), 422, "invalid");
        Admin.error(admin.patch("/admin/v1/accounts/" + id, "{}"), 422, "invalid");
        Admin.error(admin.patch("/admin/v1/accounts/" + id, "{\"callback_url\":\"ftp://example.com/x\"}"), 422,
                "invalid");
        Admin.error(admin.patch("/admin/v1/accounts/" + id, "{\"rotate_secret\":\"yes\"}"), 422, "invalid");
    }

    @Test
    void aTokenIsShownOnceListedWithoutItAndRevokedByDelete() {
        long account = createAccount("Tokens");
        Gateway.Response created = admin.post("/admin/v1/accounts/" + account + "/tokens", "{\"label\":\"crm\"}");

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(fields(created.body())).containsExactly("id", "tsid");
        String tsid = created.body().get("tsid").asText();
        long id = created.body().get("id").asLong();
        Gateway.Response used = gw.send(admin.request("/api/v2/MessageStatus.php?cdls_id=999999")
                .header("Authorization", "Bearer " + tsid).GET().build());
        assertThat(used.statusCode()).isEqualTo(235);
        gw.stores().tokens().flushUses();

        Gateway.Response listed = admin.get("/admin/v1/accounts/" + account + "/tokens");
        assertThat(listed.status()).isEqualTo(200);
        JsonNode token = listed.body().get("items").get(0);
        assertThat(fields(token)).containsExactly("id", "label", "created_at", "last_used_at", "revoked");
        assertThat(token.get("label").asText()).isEqualTo("crm");
        assertThat(token.get("last_used_at").asText()).isNotEmpty();
        assertThat(token.get("revoked").asBoolean()).isFalse();
        assertThat(listed.raw()).doesNotContain(tsid);

        Gateway.Response revoked = admin.delete("/admin/v1/tokens/" + id);
        assertThat(revoked.status()).as(revoked.raw()).isEqualTo(200);
        assertThat(revoked.body().get("revoked").asBoolean()).isTrue();
        assertThat(revoked.raw()).doesNotContain(tsid);
        Gateway.Response refused = gw.send(admin.request("/api/v2/MessageStatus.php?cdls_id=1")
                .header("Authorization", "Bearer " + tsid).GET().build());
        assertThat(refused.statusCode()).isEqualTo(101);
        Admin.Cli cli = admin.cli("token", "list", "--account", Long.toString(account));
        assertThat(cli.out()).contains("\"revoked\":true").contains("\"label\":\"crm\"").doesNotContain(tsid);
    }
}
