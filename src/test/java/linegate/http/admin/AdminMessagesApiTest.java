package linegate.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import linegate.store.LineClass;
import linegate.store.LogOutcome;
import linegate.store.LoggedError;
import linegate.store.NewLine;
import linegate.store.NewLogEntry;
import linegate.store.Stores;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /admin/v1/messages and /admin/v1/events (contract §12), through the real server on both databases: filters, newest
 * first, keyset paging across pages under filters, one message by cdls_id, dead events, redelivery by ids and by
 * account, and the command line's log list and log show giving the same messages.
 */
class AdminMessagesApiTest extends GatewayPerDatabase {
    static final long T0 = Instant.parse("2026-11-30T10:00:00Z").toEpochMilli();
    Admin admin;

    /** Redelivered events go to a CRM on loopback (see {@link #deadEventsAreListedAndRedeliveredByIdAndByAccount}). */
    @Override
    protected Map<String, String> gatewayEnv() {
        return Map.of("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true");
    }

    @BeforeParameterizedClassInvocation
    void adminToken() {
        admin = new Admin(gw, env);
    }

    record Tenant(long account, long line, List<Long> cdlsIds) {
    }

    /** An account of its own with a line and 9 outbound rows a minute apart: msg_id m0..m8, every third failed. */
    Tenant tenant(String name) {
        Stores s = gw.stores();
        long account = s.accounts().create(name);
        long line = s.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(),
                Optional.of(Webhooks.newId("178414")), Optional.empty(), true, false));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            long id = s.log().append(new NewLogEntry(account, line, LineClass.INSTAGRAM, i % 2 == 0 ? "1001" : "1002",
                    "text", "hello <img src=x onerror=alert(1)> " + i, Optional.of("m" + i), Optional.empty(),
                    Optional.empty(), T0 + i * 60_000L)).cdlsId();
            ids.add(id);
            s.log().finish(id, i % 3 == 0
                    ? new LogOutcome.Failed(new LoggedError(242, "No matching user", null, 100, 2018001, "OAuthException",
                    "No matching user found", "AbC"), T0 + i * 60_000L + 10)
                    : new LogOutcome.Sent("mid." + name + i, T0 + i * 60_000L + 10));
        }
        return new Tenant(account, line, ids);
    }

    /** Every page of the query, walking next; the cdls_ids in the order given. */
    List<Long> walk(String query, int limit) {
        List<Long> seen = new ArrayList<>();
        String next = null;
        for (int pages = 0; pages < 50; pages++) {
            Gateway.Response page = admin.get("/admin/v1/messages?" + query + "&limit=" + limit
                    + (next == null ? "" : "&cursor=" + next));
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            assertThat(page.body().get("items").size()).isLessThanOrEqualTo(limit);
            page.body().get("items").forEach(m -> seen.add(m.get("cdls_id").asLong()));
            if (page.body().get("next").isNull()) {
                return seen;
            }
            next = page.body().get("next").asText();
        }
        throw new AssertionError("more than 50 pages");
    }

    @Test
    void pagesAreNewestFirstUnderEachFilter() {
        Tenant t = tenant("Paging");
        List<Long> newestFirst = new ArrayList<>(t.cdlsIds());
        java.util.Collections.reverse(newestFirst);

        assertThat(walk("account=" + t.account(), 2)).isEqualTo(newestFirst);
        assertThat(walk("line=" + t.line(), 4)).isEqualTo(newestFirst);
        assertThat(walk("account=" + t.account() + "&state=failed", 1))
                .containsExactly(t.cdlsIds().get(6), t.cdlsIds().get(3), t.cdlsIds().get(0));
        assertThat(walk("account=" + t.account() + "&dest=1002&direction=out", 2))
                .containsExactly(t.cdlsIds().get(7), t.cdlsIds().get(5), t.cdlsIds().get(3), t.cdlsIds().get(1));
        assertThat(walk("account=" + t.account() + "&msg_id=m4", 5)).containsExactly(t.cdlsIds().get(4));
        assertThat(walk("msg_id=m4&line=" + t.line(), 5)).containsExactly(t.cdlsIds().get(4));
        assertThat(walk("account=" + t.account() + "&since=" + Instant.ofEpochMilli(T0 + 2 * 60_000L) + "&until="
                + Instant.ofEpochMilli(T0 + 5 * 60_000L), 2))
                .containsExactly(t.cdlsIds().get(4), t.cdlsIds().get(3), t.cdlsIds().get(2));
        assertThat(walk("account=" + t.account() + "&direction=in", 2)).isEmpty();
    }

    @Test
    void oneMessageIsMessageStatusesObjectWithItsTextAsData() {
        Tenant t = tenant("One");
        long id = t.cdlsIds().get(3);

        Gateway.Response r = admin.get("/admin/v1/messages/" + id);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("cdls_id").asLong()).isEqualTo(id);
        assertThat(r.body().get("msg_id").asText()).isEqualTo("m3");
        assertThat(r.body().get("state").asText()).isEqualTo("failed");
        assertThat(r.body().get("error").get("status_code").asInt()).isEqualTo(242);
        assertThat(r.body().get("mdata").asText()).isEqualTo("hello <img src=x onerror=alert(1)> 3");
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode cli = admin.cli("log", "show", Long.toString(id)).json();
        assertThat(cli).isEqualTo(r.body());
        Admin.error(admin.get("/admin/v1/messages/99999999"), 404, "not_found");
        Admin.error(admin.get("/admin/v1/messages/x1"), 404, "not_found");
    }

    @Test
    void theCommandLinesLogListTakesTheSameFilters() {
        Tenant t = tenant("Cli");

        Admin.Cli cli = admin.cli("log", "list", "--account", Long.toString(t.account()), "--state", "failed",
                "--since", Instant.ofEpochMilli(T0 + 60_000L).toString());
        List<Long> ids = cli.out().lines().map(l -> {
            try {
                return Admin.JSON.readTree(l).get("cdls_id").asLong();
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
        assertThat(ids).containsExactly(t.cdlsIds().get(6), t.cdlsIds().get(3));
        Admin.Cli byMsgId = admin.cli("log", "list", "--line", Long.toString(t.line()), "--msg-id", "m8");
        assertThat(byMsgId.out().strip().lines()).hasSize(1);
        assertThat(byMsgId.json().get("cdls_id").asLong()).isEqualTo(t.cdlsIds().get(8));
    }

    @Test
    void badFiltersAre422WithTheCommandLinesMessages() {
        for (String[] c : new String[][]{{"state=lost", "--state", "lost"}, {"since=yesterday", "--since", "yesterday"},
                {"direction=up", "--direction", "up"}}) {
            String api = Admin.error(admin.get("/admin/v1/messages?" + c[0]), 422, "invalid");
            Admin.Cli cli = admin.cli("log", "list", c[1], c[2]);
            assertThat(cli.code()).isEqualTo(1);
            assertThat(cli.err().strip()).isEqualTo("linegate: " + api);
        }
        Admin.error(admin.get("/admin/v1/messages?account=abc"), 422, "invalid");
        Admin.error(admin.get("/admin/v1/messages?cursor=!!"), 422, "invalid");
        Admin.error(admin.get("/admin/v1/messages?limit=100000"), 422, "invalid");
    }

    @Test
    void deadEventsAreListedAndRedeliveredByIdAndByAccount() {
        Tenant t = tenant("Events");
        gw.execute("UPDATE events SET delivery = 'dead', last_error = 'HTTP 500' WHERE account_id = " + t.account());
        Gateway.Response dead = admin.get("/admin/v1/events?account=" + t.account() + "&state=dead&limit=3");
        assertThat(dead.status()).as(dead.raw()).isEqualTo(200);
        assertThat(dead.body().get("items")).hasSize(3);
        JsonNode first = dead.body().get("items").get(0);
        assertThat(first.get("delivery").asText()).isEqualTo("dead");
        assertThat(first.get("type").asText()).isEqualTo("message.status");
        assertThat(first.get("app_id").asLong()).isEqualTo(t.line());
        assertThat(first.get("cdls_id").asLong()).isEqualTo(t.cdlsIds().getLast());
        assertThat(dead.body().get("next").isNull()).isFalse();
        Gateway.Response account = admin.get("/admin/v1/accounts/" + t.account());
        assertThat(account.body().get("dead_events").asLong()).isEqualTo(9);
        String eventId = first.get("event_id").asText();

        String noUrl = Admin.error(admin.post("/admin/v1/events/redeliver", "{\"event_ids\":[\"" + eventId + "\"]}"),
                422, "invalid");
        assertThat(noUrl).contains("has no callback URL");
        // a CRM that takes every event: redelivered events are really sent and end delivered (with a receiver that
        // refuses them, the worker could make one dead again before the list below is read)
        Set<String> received = ConcurrentHashMap.newKeySet();
        HttpServer crm = crm(received);
        try {
            gw.stores().callbacks().setUrl(t.account(), "http://127.0.0.1:" + crm.getAddress().getPort() + "/crm",
                    "whsec_test");
            Gateway.Response one = admin.post("/admin/v1/events/redeliver", "{\"event_ids\":[\"" + eventId + "\"]}");
            assertThat(one.status()).as(one.raw()).isEqualTo(200);
            assertThat(one.body().get("redelivered").asInt()).isEqualTo(1);
            Gateway.Response rest = admin.post("/admin/v1/events/redeliver", "{\"account_id\":" + t.account() + "}");
            assertThat(rest.body().get("redelivered").asInt()).isEqualTo(8);
            Webhooks.await("the 9 redelivered events delivered", () -> {
                JsonNode delivered = admin.get("/admin/v1/events?account=" + t.account() + "&state=delivered")
                        .body().get("items");
                return delivered.size() == 9 ? Optional.of(delivered) : Optional.empty();
            });
            assertThat(received).hasSize(9).contains(eventId);
        } finally {
            crm.stop(0);
        }
        assertThat(admin.get("/admin/v1/events?account=" + t.account() + "&state=dead").body().get("items")).isEmpty();
        assertThat(admin.get("/admin/v1/events?account=" + t.account() + "&type=line.status").body().get("items")).isEmpty();

        Admin.error(admin.post("/admin/v1/events/redeliver", "{\"event_ids\":[\"evt_nope\"]}"), 404, "not_found");
        Admin.error(admin.post("/admin/v1/events/redeliver", "{}"), 422, "invalid");
        Admin.error(admin.post("/admin/v1/events/redeliver", "{\"event_ids\":\"evt_x\"}"), 422, "invalid");
        Admin.error(admin.get("/admin/v1/events?state=gone"), 422, "invalid");
        Admin.error(admin.get("/admin/v1/events?type=message.lost"), 422, "invalid");
    }

    /** A CRM's endpoint on loopback that answers 200 to every callback and records its Linegate-Event-Id. */
    static HttpServer crm(Set<String> eventIds) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            s.createContext("/crm", exchange -> {
                eventIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("Linegate-Event-Id")));
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
