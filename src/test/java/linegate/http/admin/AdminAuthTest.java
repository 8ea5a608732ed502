package linegate.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import linegate.store.ApiTokenHash;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call /admin/v1 (contract §12), through the real server on both databases: an admin token made with
 * 'linegate admin-token create' is let in; an account's tsid, an unknown or revoked admin token, or none, is 401 in the
 * admin API's error shape; and an admin token is no tsid on /api/v2 (101).
 */
class AdminAuthTest extends GatewayPerDatabase {
    Admin admin;

    @BeforeParameterizedClassInvocation
    void adminToken() {
        admin = new Admin(gw, env);
    }

    Gateway.Response getWith(String authorization) {
        HttpRequest.Builder b = admin.request("/admin/v1/accounts").GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return gw.send(b.build());
    }

    @Test
    void anAdminTokenListsTheAccounts() {
        Gateway.Response r = admin.get("/admin/v1/accounts");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("items").findValuesAsText("name")).contains("Acme Dental");
        assertThat(r.body().has("next")).isTrue();
    }

    @Test
    void anAdminTokenIsStoredOnlyAsItsHash() throws SQLException {
        Admin.Cli created = admin.cli("admin-token", "create", "--label", "stored");
        String token = created.json().get("token").asText();
        List<String> rows = new ArrayList<>();
        try (Connection c = gw.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM admin_tokens")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(rs.getString(i)).append('|');
                }
                rows.add(row.toString());
            }
        }

        // the token's SHA-256 is there, the token (or its secret part) in no column of any row
        assertThat(rows).anySatisfy(r -> assertThat(r).contains(ApiTokenHash.of(token).hex()));
        assertThat(rows).noneSatisfy(r -> assertThat(r).contains(token.substring("lga_".length())));
    }

    @Test
    void anAccountsTsidIsRefused401() {
        String message = Admin.error(getWith("Bearer " + gw.tsid), 401, "unauthorized");

        assertThat(message).contains("account's API token").contains("admin-token create").doesNotContain(gw.tsid);
    }

    @Test
    void noTokenOrAnUnknownOneIsRefused401() {
        Admin.error(getWith(null), 401, "unauthorized");
        Admin.error(getWith("Bearer lga_doesnotexist"), 401, "unauthorized");
        Admin.error(getWith("Basic " + admin.token), 401, "unauthorized");
        Admin.error(getWith("Bearer " + "x".repeat(2000)), 401, "unauthorized");
    }

    @Test
    void anAdminTokenIsAnInvalidTsidOnTheSendApi() {
        Gateway.Response asParameter = gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + admin.token
                + "\",\"app_id\":" + gw.lineId + ",\"dest\":\"1254477777772919\",\"mdata\":\"hi\"}");
        Gateway.Response asBearer = gw.send(admin.request("/api/v2/MessageStatus.php?cdls_id=1")
                .header("Authorization", "Bearer " + admin.token).GET().build());

        assertThat(asParameter.statusCode()).as(asParameter.raw()).isEqualTo(101);
        assertThat(asBearer.statusCode()).as(asBearer.raw()).isEqualTo(101);
        gw.meta().verify(0, com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
    }

    @Test
    void aRevokedAdminTokenIsRefusedAndListedAsRevoked() {
        Admin.Cli created = admin.cli("admin-token", "create", "--label", "temp");
        JsonNode made = created.json();
        String temp = made.get("token").asText();
        assertThat(temp).startsWith("lga_");
        assertThat(getWith("Bearer " + temp).status()).isEqualTo(200);

        JsonNode revoked = admin.cli("admin-token", "revoke", made.get("id").asText()).json();

        assertThat(revoked.get("revoked").asBoolean()).isTrue();
        Admin.error(getWith("Bearer " + temp), 401, "unauthorized");
        Admin.Cli list = admin.cli("admin-token", "list");
        assertThat(list.out()).doesNotContain(temp).doesNotContain(temp.substring(4, 20)).contains("\"label\":\"temp\"");
        assertThat(list.out()).contains("\"last_used_at\":\"");
    }

    @Test
    void anAdminTokenNeedsALabel() {
        Admin.Cli refused = admin.cli("admin-token", "create", "--label", " ");

        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("label (--label) must not be empty");
        assertThat(refused.out()).isEmpty();
    }
}
