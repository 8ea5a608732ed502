package linegate.http.admin;

import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.net.http.HttpRequest;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's session (contract §12), through the real server on both databases: signing in with an admin token sets
 * an HttpOnly, SameSite=Strict cookie (Secure behind https), held only as a hash; the cookie lets reads in, and changes
 * only with the session's CSRF token and from this origin; signing out, revoking the token and idling end it.
 */
class AdminSessionTest extends GatewayPerDatabase {
    Admin admin;

    @BeforeParameterizedClassInvocation
    void adminToken() {
        admin = new Admin(gw, env);
    }

    record Session(String cookie, String csrf, String setCookie) {
    }

    Session signIn(String token, Map<String, String> headers) {
        HttpRequest.Builder b = admin.request(SessionController.PATH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}"));
        headers.forEach(b::header);
        Gateway.Response r = gw.send(b.build());
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        return new Session(cookie, r.body().get("csrf_token").asText(), setCookie);
    }

    Gateway.Response withCookie(Session s, String method, String path, String json, Map<String, String> headers) {
        HttpRequest.Builder b = admin.request(path).header("Cookie", s.cookie());
        headers.forEach(b::header);
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return gw.send(b.build());
    }

    @Test
    void signingInSetsAStrictHttpOnlyCookieHeldOnlyAsAHash() throws Exception {
        Session s = signIn(admin.token, Map.of());

        assertThat(s.setCookie()).startsWith("linegate_session=lgs_").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Path=/").doesNotContain("Secure").doesNotContain(admin.token);
        assertThat(s.csrf()).isNotBlank();
        String value = s.cookie().substring(s.cookie().indexOf('=') + 1);
        List<String> stored = new ArrayList<>();
        try (var c = gw.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT session_hash FROM admin_sessions")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        assertThat(stored).isNotEmpty().noneMatch(h -> h.contains(value) || value.contains(h));
        Gateway.Response me = withCookie(s, "GET", SessionController.PATH, null, Map.of());
        assertThat(me.body().get("via").asText()).isEqualTo("session");
        assertThat(me.body().get("csrf_token").asText()).isEqualTo(s.csrf());
    }

    @Test
    void behindHttpsTheCookieIsSecure() {
        assertThat(signIn(admin.token, Map.of("X-Forwarded-Proto", "https")).setCookie()).contains("; Secure");
    }

    @Test
    void theCookieLetsReadsInAndChangesOnlyWithTheCsrfTokenFromThisOrigin() {
        Session s = signIn(admin.token, Map.of());
        String body = "{\"name\":\"Via console\"}";

        assertThat(withCookie(s, "GET", "/admin/v1/accounts", null, Map.of()).status()).isEqualTo(200);
        Admin.error(withCookie(s, "POST", "/admin/v1/accounts", body, Map.of()), 403, "forbidden");
        Admin.error(withCookie(s, "POST", "/admin/v1/accounts", body, Map.of("X-CSRF-Token", s.csrf() + "x")), 403,
                "forbidden");
        Admin.error(withCookie(s, "POST", "/admin/v1/accounts", body, Map.of("X-CSRF-Token", s.csrf(),
                "Origin", "https://evil.example")), 403, "forbidden");
        Admin.error(withCookie(s, "POST", "/admin/v1/accounts", body, Map.of("X-CSRF-Token", s.csrf(),
                "Sec-Fetch-Site", "cross-site")), 403, "forbidden");
        Admin.error(withCookie(s, "PATCH", "/admin/v1/lines/" + gw.lineId, "{\"active\":false}", Map.of()), 403,
                "forbidden");
        assertThat(gw.stores().lines().find(gw.lineId).orElseThrow().active()).isTrue();

        Gateway.Response made = withCookie(s, "POST", "/admin/v1/accounts", body, Map.of("X-CSRF-Token", s.csrf(),
                "Origin", gw.baseUrl(), "Sec-Fetch-Site", "same-origin"));
        assertThat(made.status()).as(made.raw()).isEqualTo(201);
        Gateway.Response bearer = admin.post("/admin/v1/accounts", body);
        assertThat(bearer.status()).as("a bearer request needs no CSRF token").isEqualTo(201);
    }

    @Test
    void signingInFromAnotherOriginOrWithATsidIsRefused() {
        HttpRequest cross = admin.request(SessionController.PATH).header("Content-Type", "application/json")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + admin.token + "\"}")).build();
        Admin.error(gw.send(cross), 403, "forbidden");
        HttpRequest tsid = admin.request(SessionController.PATH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + gw.tsid + "\"}")).build();
        Admin.error(gw.send(tsid), 401, "unauthorized");
        HttpRequest none = admin.request(SessionController.PATH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        Admin.error(gw.send(none), 401, "unauthorized");
    }

    @Test
    void signingOutEndsTheSession() {
        Session s = signIn(admin.token, Map.of());

        Admin.error(withCookie(s, "DELETE", SessionController.PATH, null, Map.of()), 403, "forbidden");
        Gateway.Response out = withCookie(s, "DELETE", SessionController.PATH, null, Map.of("X-CSRF-Token", s.csrf()));

        assertThat(out.status()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        Admin.error(withCookie(s, "GET", "/admin/v1/accounts", null, Map.of()), 401, "unauthorized");
    }

    @Test
    void revokingTheAdminTokenEndsItsSessions() {
        Admin.Cli made = admin.cli("admin-token", "create", "--label", "support");
        Session s = signIn(made.json().get("token").asText(), Map.of());
        assertThat(withCookie(s, "GET", "/admin/v1/accounts", null, Map.of()).status()).isEqualTo(200);

        admin.cli("admin-token", "revoke", made.json().get("id").asText()).json();

        Admin.error(withCookie(s, "GET", "/admin/v1/accounts", null, Map.of()), 401, "unauthorized");
    }

    @Test
    void anIdleSessionEnds() {
        Session s = signIn(admin.token, Map.of());
        assertThat(withCookie(s, "GET", "/admin/v1/accounts", null, Map.of()).status()).isEqualTo(200);

        gw.execute("UPDATE admin_sessions SET last_seen_at = last_seen_at - "
                + (linegate.store.operators.AdminSessions.IDLE_TIMEOUT.toMillis() + 1000));

        Admin.error(withCookie(s, "GET", "/admin/v1/accounts", null, Map.of()), 401, "unauthorized");
    }
}
