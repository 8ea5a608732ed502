package linegate.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.time.Instant;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * /admin/v1/lines (contract §12), through the real server on both databases: create (201, warnings), read, list by
 * account, change (page token, active, human agent, budget, ids), the page token absent from every answer in every
 * form, 404/409/422, the command line's messages for the same bad input, and Meta's usage as this node read it.
 */
class AdminLinesApiTest extends GatewayPerDatabase {
    static final String SECRET_TOKEN = "EAAGadminApiLinesTestToken0123456789SECRET";
    Admin admin;

    @BeforeParameterizedClassInvocation
    void adminToken() {
        admin = new Admin(gw, env);
    }

    Gateway.Response create(String members) {
        return admin.post("/admin/v1/lines", "{\"account_id\":" + gw.accountId + "," + members + "}");
    }

    static void noToken(Gateway.Response r) {
        assertThat(r.raw()).doesNotContain(SECRET_TOKEN).doesNotContain(SECRET_TOKEN.substring(SECRET_TOKEN.length() - 4))
                .doesNotContain(Gateway.PAGE_TOKEN).doesNotContain("\"page_token\"");
    }

    @Test
    void createsALineWithoutEverAnsweringItsToken() {
        String ig = Webhooks.newId("178414");
        Gateway.Response created = create("\"class\":\"instagram\",\"page_token\":\"" + SECRET_TOKEN
                + "\",\"ig_account_id\":\"" + ig + "\",\"sends_per_second\":20");

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        noToken(created);
        JsonNode line = created.body();
        assertThat(AdminAccountsApiTest.fields(line)).startsWith("id", "account_id", "class", "login", "ig_account_id",
                "page_id", "active", "human_agent", "sends_per_second", "health");
        assertThat(line.get("ig_account_id").asText()).isEqualTo(ig);
        assertThat(line.get("sends_per_second").asInt()).isEqualTo(20);
        assertThat(line.get("has_page_token").asBoolean()).isTrue();
        assertThat(line.get("health").asText()).isEqualTo("unknown");
        assertThat(line.get("warnings")).isEmpty();
        long id = line.get("id").asLong();
        Gateway.Response read = admin.get("/admin/v1/lines/" + id);
        noToken(read);
        assertThat(read.body().get("id").asLong()).isEqualTo(id);
        Gateway.Response listed = admin.get("/admin/v1/lines?account=" + gw.accountId + "&limit=500");
        noToken(listed);
        assertThat(listed.body().get("items").findValuesAsText("ig_account_id")).contains(ig, Gateway.IG_ACCOUNT_ID);
        assertThat(admin.get("/admin/v1/lines?account=999999").body().get("items")).isEmpty();
    }

    @Test
    void createsAnInstagramLoginLineWithItsTokenExpiryAndRefusesOneThatDoesNotFit() {
        String ig = Webhooks.newId("178415");
        Gateway.Response created = create("\"class\":\"instagram\",\"login\":\"instagram\",\"page_token\":\""
                + SECRET_TOKEN + "\",\"ig_account_id\":\"" + ig + "\",\"token_expires_at\":\"2027-01-31T10:00:00Z\"");

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        noToken(created);
        assertThat(created.body().get("login").asText()).isEqualTo("instagram");
        assertThat(created.body().get("token_expires_at").asText()).isEqualTo("2027-01-31T10:00:00Z");
        Gateway.Response read = admin.get("/admin/v1/lines/" + created.body().get("id").asLong());
        assertThat(read.body().get("login").asText()).isEqualTo("instagram");
        assertThat(admin.get("/admin/v1/lines/" + gw.lineId).body().get("token_expires_at").isNull())
                .as("a Page line's token is never refreshed").isTrue();

        Gateway.Response messenger = create("\"class\":\"messenger\",\"login\":\"instagram\"");
        assertThat(Admin.error(messenger, 422, "invalid")).contains("Instagram lines only");
        Gateway.Response unknown = create("\"class\":\"instagram\",\"login\":\"tiktok\",\"ig_account_id\":\"" + ig + "\"");
        assertThat(Admin.error(unknown, 422, "invalid")).contains("login (--login) must be facebook or instagram");
        Gateway.Response expiry = create("\"class\":\"instagram\",\"login\":\"instagram\",\"ig_account_id\":\""
                + Webhooks.newId("178416") + "\",\"token_expires_at\":\"next tuesday\"");
        assertThat(Admin.error(expiry, 422, "invalid")).contains("token_expires_at (--token-expires) must be an ISO-8601 instant");
    }

    @Test
    void anInstagramLineWithoutItsAccountIdComesWithAWarningOnBothWaysIn() {
        Gateway.Response created = create("\"class\":\"instagram\"");
        Admin.Cli cli = admin.cli("line", "create", "--account", Long.toString(gw.accountId), "--class", "instagram");

        assertThat(created.status()).isEqualTo(201);
        String warning = created.body().get("warnings").get(0).asText();
        assertThat(warning).contains("ig_account_id (--ig-account-id)").contains("webhooks");
        assertThat(cli.code()).isZero();
        long cliLine = cli.json().get("id").asLong();
        // the warning, then the database the command wrote to (docs/operations.md, "Commands")
        assertThat(cli.err().strip().lines().toList()).first().isEqualTo("linegate: warning: " + warning.replace(
                "line " + created.body().get("id").asLong() + " ", "line " + cliLine + " ").replace(
                "update " + created.body().get("id").asLong() + " ", "update " + cliLine + " "));
        assertThat(cli.err().strip().lines().toList()).last().asString().startsWith("linegate: wrote to ");
    }

    @Test
    void changesALine() {
        long id = create("\"class\":\"instagram\",\"ig_account_id\":\"" + Webhooks.newId("178414") + "\"").body()
                .get("id").asLong();

        Gateway.Response token = admin.patch("/admin/v1/lines/" + id, "{\"page_token\":\"" + SECRET_TOKEN + "\"}");
        assertThat(token.status()).as(token.raw()).isEqualTo(200);
        noToken(token);
        assertThat(token.body().get("has_page_token").asBoolean()).isTrue();
        assertThat(gw.stores().lines().find(id).orElseThrow().pageToken().orElseThrow().reveal()).isEqualTo(SECRET_TOKEN);

        Gateway.Response budget = admin.patch("/admin/v1/lines/" + id, "{\"sends_per_second\":7,\"human_agent\":true}");
        assertThat(budget.body().get("sends_per_second").asInt()).isEqualTo(7);
        assertThat(budget.body().get("human_agent").asBoolean()).isTrue();
        Gateway.Response byDefault = admin.patch("/admin/v1/lines/" + id, "{\"sends_per_second\":null}");
        assertThat(byDefault.body().get("sends_per_second").isNull()).isTrue();
        Gateway.Response inactive = admin.patch("/admin/v1/lines/" + id, "{\"active\":false}");
        assertThat(inactive.body().get("active").asBoolean()).isFalse();
        String page = Webhooks.newId("1065");
        Gateway.Response ids = admin.patch("/admin/v1/lines/" + id, "{\"page_id\":\"" + page + "\"}");
        assertThat(ids.body().get("page_id").asText()).isEqualTo(page);
    }

    @Test
    void anIdAnotherActiveLineHoldsIs409() {
        long parked = create("\"class\":\"instagram\",\"active\":false,\"ig_account_id\":\"" + Gateway.IG_ACCOUNT_ID + "\"")
                .body().get("id").asLong();

        String message = Admin.error(admin.patch("/admin/v1/lines/" + parked, "{\"active\":true}"), 409, "conflict");
        assertThat(message).contains("already belongs to active line " + gw.lineId);
        Admin.error(create("\"class\":\"instagram\",\"ig_account_id\":\"" + Gateway.IG_ACCOUNT_ID + "\""), 409, "conflict");
    }

    @Test
    void refusalsAre404And422WithTheCommandLinesMessages() {
        Admin.error(admin.get("/admin/v1/lines/999999"), 404, "not_found");
        Admin.error(admin.patch("/admin/v1/lines/999999", "{\"active\":true}"), 404, "not_found");
        Admin.error(admin.post("/admin/v1/lines", "{\"account_id\":999999,\"class\":\"instagram\"}"), 404, "not_found");
        Admin.error(admin.patch("/admin/v1/lines/" + gw.lineId, "{}"), 422, "invalid");
        Admin.error(create("\"class\":\"instagram\",\"ig_account_id\":17841405793187218"), 422, "invalid");
        Admin.error(create("\"class\":\"instagram\",\"sends_per_second\":1.5"), 422, "invalid");
        Admin.error(create("\"class\":\"instagram\",\"active\":\"yes\""), 422, "invalid");
        Admin.error(admin.post("/admin/v1/lines", "{\"class\":\"instagram\"}"), 422, "invalid");

        String account = Long.toString(gw.accountId);
        record Case(String json, List<String> args) {
        }
        for (Case c : List.of(
                new Case("\"class\":\"whatsapp\"", List.of("--class", "whatsapp")),
                new Case("\"class\":\"instagram\",\"sends_per_second\":0", List.of("--class", "instagram",
                        "--sends-per-second", "0")),
                new Case("\"class\":\"instagram\",\"page_token\":\"two words\"", List.of("--class", "instagram",
                        "--page-token", "two words")),
                new Case("\"class\":\"instagram\",\"ig_account_id\":\"17841x\"", List.of("--class", "instagram",
                        "--ig-account-id", "17841x")))) {
            String api = Admin.error(create(c.json()), 422, "invalid");
            List<String> args = new java.util.ArrayList<>(List.of("line", "create", "--account", account));
            args.addAll(c.args());
            Admin.Cli cli = admin.cli(args.toArray(String[]::new));
            assertThat(cli.code()).as(cli.err()).isEqualTo(1);
            assertThat(cli.err().strip()).isEqualTo("linegate: " + api);
        }
        String api = Admin.error(admin.patch("/admin/v1/lines/" + gw.lineId, "{\"sends_per_second\":100001}"), 422,
                "invalid");
        Admin.Cli cli = admin.cli("line", "update", Long.toString(gw.lineId), "--sends-per-second", "100001");
        assertThat(cli.err().strip()).isEqualTo("linegate: " + api);
    }

    /** Sends on the line until the answer's status_code is {@code code}, for up to 10 s (pauses reach nodes in ~1 s). */
    Gateway.Response sendUntil(long line, int code) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Gateway.Response r = gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":"
                    + line + ",\"dest\":\"1254477777772919\",\"mdata\":\"hello\"}");
            if (r.statusCode() == code || System.nanoTime() > deadline) {
                return r;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void anOperatorsPauseHoldsSendsUntilResumed() {
        gw.metaAnswers(200, "{\"recipient_id\":\"1254477777772919\",\"message_id\":\"m_paused_test\"}");
        long line = create("\"class\":\"instagram\",\"page_token\":\"" + SECRET_TOKEN + "\",\"ig_account_id\":\""
                + Webhooks.newId("178414") + "\"").body().get("id").asLong();
        String until = java.time.Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();

        Gateway.Response paused = admin.patch("/admin/v1/lines/" + line, "{\"paused_until\":\"" + until + "\"}");

        assertThat(paused.status()).as(paused.raw()).isEqualTo(200);
        assertThat(paused.body().get("paused_until").asText()).isEqualTo(until);
        assertThat(paused.body().get("pause_reason").asText()).isEqualTo("paused by an operator");
        Gateway.Response refused = sendUntil(line, 260);
        assertThat(refused.statusCode()).as(refused.raw()).isEqualTo(260);
        assertThat(refused.ret().get("retry_after").asLong()).isGreaterThan(3000);

        Gateway.Response resumed = admin.patch("/admin/v1/lines/" + line, "{\"paused_until\":null}");
        assertThat(resumed.body().get("paused_until").isNull()).isTrue();
        Gateway.Response sent = sendUntil(line, 200);
        assertThat(sent.statusCode()).as(sent.raw()).isEqualTo(200);

        Admin.error(admin.patch("/admin/v1/lines/" + line, "{\"paused_until\":\"2020-01-01T00:00:00Z\"}"), 422,
                "invalid");
        Admin.Cli cli = admin.cli("line", "update", Long.toString(line), "--paused-until", "2020-01-01T00:00:00Z");
        assertThat(cli.err().strip()).isEqualTo("linegate: " + Admin.error(admin.patch("/admin/v1/lines/" + line,
                "{\"paused_until\":\"2020-01-01T00:00:00Z\"}"), 422, "invalid"));
    }

    @Test
    void aLineShowsMetasUsageAsThisNodeLastReadItAndNullBeforeAnyReading() {
        String ig = Webhooks.newId("178417");
        long measured = create("\"class\":\"instagram\",\"page_token\":\"" + SECRET_TOKEN
                + "\",\"ig_account_id\":\"" + ig + "\"").body().get("id").asLong();
        long unmeasured = create("\"class\":\"instagram\",\"page_token\":\"" + SECRET_TOKEN
                + "\",\"ig_account_id\":\"" + Webhooks.newId("178418") + "\"").body().get("id").asLong();
        // below LINEGATE_USAGE_PAUSE_PERCENT (95): nothing pauses, so the class's other tests send as before
        gw.meta().stubFor(WireMock.post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-App-Usage", "{\"call_count\":12,\"total_cputime\":3,\"total_time\":5}")
                .withHeader("X-Business-Use-Case-Usage", "{\"" + ig + "\":[{\"type\":\"instagram\",\"call_count\":41,"
                        + "\"total_cputime\":85,\"total_time\":60,\"estimated_time_to_regain_access\":0}]}")
                .withBody(MetaSamples.read("ig-send-success.doc.json"))));
        Instant before = Instant.now();
        Gateway.Response sent;
        try {
            sent = gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + measured
                    + ",\"dest\":\"1254477777772919\",\"mdata\":\"hello\"}");
        } finally {
            gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        }
        Instant after = Instant.now();

        assertThat(sent.statusCode()).as(sent.raw()).isEqualTo(200);
        JsonNode usage = admin.get("/admin/v1/lines/" + measured).body().get("usage");
        assertThat(usage.get("app").asInt()).isEqualTo(12);
        assertThat(usage.get("business").asInt()).as("the header's highest figure").isEqualTo(85);
        assertThat(usage.get("page").isNull()).as("no X-Page-Usage on the answer").isTrue();
        assertThat(Instant.parse(usage.get("read_at").asText())).isBetween(before, after);
        JsonNode none = admin.get("/admin/v1/lines/" + unmeasured).body();
        assertThat(none.has("usage")).isTrue();
        assertThat(none.get("usage").isNull()).as("no answer from Meta for this line yet").isTrue();
        JsonNode listed = admin.get("/admin/v1/lines?account=" + gw.accountId + "&limit=500").body().get("items");
        for (JsonNode line : listed) {
            if (line.get("id").asLong() == measured) {
                assertThat(line.get("usage")).isEqualTo(usage);
            } else if (line.get("id").asLong() == unmeasured) {
                assertThat(line.get("usage").isNull()).isTrue();
            }
        }
        assertThat(listed.findValuesAsText("id")).contains(Long.toString(measured), Long.toString(unmeasured));
    }
}
