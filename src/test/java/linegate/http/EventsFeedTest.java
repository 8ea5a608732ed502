package linegate.http;

import com.fasterxml.jackson.databind.JsonNode;
import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event feed through the real server (docs/api.md, "The feed"): what sends and Meta's webhooks produce, in seq
 * order; a walk with after=next sees each event once; a long poll answers when an event arrives; another account's
 * events never appear; bad parameters get their codes.
 */
class EventsFeedTest extends GatewayPerDatabase {
    @Override
    protected Map<String, String> gatewayEnv() {
        return Webhooks.env();
    }

    /** An account of its own, its token and an Instagram line, so each test starts with an empty feed. */
    record Crm(long accountId, String tsid, long lineId, String igAccountId) {
    }

    private Crm newCrm() {
        long account = gw.stores().accounts().create("Acme Dental");
        String tsid = gw.stores().tokens().create(account, "crm").tsid();
        String igId = Webhooks.newId("178414");
        long line = gw.stores().lines().create(new NewLine(account, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.of(igId), Optional.empty(), true, false));
        // a line Meta has answered before: its health is known, so these tests see only their messages' events
        gw.execute("UPDATE lines SET health = 'ok' WHERE id = " + line);
        return new Crm(account, tsid, line, igId);
    }

    private long send(Crm crm, Gateway node, String peer, String mid) {
        MetaStubs.answers(node.meta(), MetaStubs.answer(200, "{\"recipient_id\":\"" + peer + "\",\"message_id\":\"" + mid + "\"}"));
        Gateway.Response r = node.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + crm.tsid() + "\",\"app_id\":"
                + crm.lineId() + ",\"dest\":\"" + peer + "\",\"mdata\":\"Thanks for reaching out!\"}");
        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        return r.ret().path("cdls_id").asLong();
    }

    private Gateway.Response feed(Crm crm, String query) {
        return gw.get("/api/v2/Events.php?tsid=" + crm.tsid() + (query.isEmpty() ? "" : "&" + query));
    }

    private static List<Long> seqs(Gateway.Response r) {
        List<Long> seqs = new ArrayList<>();
        r.ret().path("events").forEach(e -> seqs.add(e.path("seq").asLong()));
        return seqs;
    }

    private static String seen(String igAccountId, String peer, String mid, long at) {
        return MetaSamples.read("ig-login-webhook-seen.postman.json")
                .replace("<YOUR_APP_USERS_INSTAGRAM_USER_ID>", igAccountId)
                .replace("\"<TIME_NOTIFICATION_WAS_SENT>\"", Long.toString(at + 300))
                .replace("<INSTAGRAM_SCOPED_ID>", peer)
                .replace("\"<TIME_WEBHOOK_WAS_TRIGGERED>\"", Long.toString(at))
                .replace("<MESSAGE_ID>", mid);
    }

    @Test
    void aCustomersMessageASendAndItsReadReceiptAreThreeEventsInOrder() {
        Crm crm = newCrm();
        Webhooks meta = new Webhooks(gw);
        String peer = Webhooks.newId("12544");
        String inMid = Webhooks.newIgMid();
        long now = System.currentTimeMillis();
        meta.deliver(Webhooks.igMessage(crm.igAccountId(), peer, inMid, now - 2_000));
        String outMid = Webhooks.newIgMid();
        long cdlsId = send(crm, gw, peer, outMid);
        meta.deliver(seen(crm.igAccountId(), peer, outMid, System.currentTimeMillis()));

        Gateway.Response r = feed(crm, "");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.ret().path("status_code").asInt()).isEqualTo(200);
        JsonNode events = r.ret().path("events");
        assertThat(events).hasSize(3);
        assertThat(seqs(r)).containsExactly(1L, 2L, 3L);
        assertThat(r.ret().path("next").asLong()).isEqualTo(3);
        JsonNode received = events.get(0);
        assertThat(received.path("type").asText()).isEqualTo("message.received");
        assertThat(received.path("account_id").asLong()).isEqualTo(crm.accountId());
        assertThat(received.path("app_id").asLong()).isEqualTo(crm.lineId());
        assertThat(received.path("channel").asText()).isEqualTo("instagram");
        assertThat(received.path("occurred_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(received.path("message").path("text").asText()).isEqualTo("Hello");
        assertThat(received.path("message").path("messageId").asText()).isEqualTo(inMid);
        assertThat(received.path("message").path("dest").asText()).isEqualTo(peer);
        JsonNode sent = events.get(1);
        assertThat(sent.path("type").asText()).isEqualTo("message.status");
        assertThat(sent.path("message").path("cdls_id").asLong()).isEqualTo(cdlsId);
        assertThat(sent.path("message").path("state").asText()).as("what happened then, though it is read now")
                .isEqualTo("sent");
        assertThat(sent.path("message").path("messageId").asText()).isEqualTo(outMid);
        JsonNode read = events.get(2);
        assertThat(read.path("type").asText()).isEqualTo("message.status");
        assertThat(read.path("message").path("state").asText()).isEqualTo("read");
        assertThat(read.path("event_id").asText()).matches("evt_[0-9A-Z]{26}").isNotEqualTo(sent.path("event_id").asText());

        Gateway.Response again = feed(crm, "after=0");
        assertThat(again.ret().path("events").get(1).path("event_id").asText())
                .as("an event's id is stable").isEqualTo(sent.path("event_id").asText());
    }

    @Test
    void walkingAfterNextReturnsEveryEventOnceAndTheEndAnswersNextAsAfter() {
        Crm crm = newCrm();
        String peer = Webhooks.newId("12544");
        for (int i = 0; i < 7; i++) {
            send(crm, gw, peer, Webhooks.newIgMid());
        }

        List<Long> walked = new ArrayList<>();
        long after = 0;
        for (int page = 0; page < 10; page++) {
            Gateway.Response r = feed(crm, "after=" + after + "&limit=3");
            assertThat(r.ret().path("events").size()).isLessThanOrEqualTo(3);
            walked.addAll(seqs(r));
            long next = r.ret().path("next").asLong();
            if (next == after) {
                assertThat(r.ret().path("events")).isEmpty();
                break;
            }
            after = next;
        }

        assertThat(walked).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(feed(crm, "after=7").ret().path("next").asLong()).isEqualTo(7);
    }

    @Test
    void aLongPollAnswersWhenTheFirstEventArrives() throws Exception {
        Crm crm = newCrm();
        Webhooks meta = new Webhooks(gw);
        String peer = Webhooks.newId("12544");
        long started = System.nanoTime();
        CompletableFuture<Gateway.Response> poll = CompletableFuture.supplyAsync(() -> feed(crm, "after=0&wait=30"),
                Executors.newVirtualThreadPerTaskExecutor());
        Thread.sleep(500); // let the poll reach its wait; an event before that is found by its first read anyway
        assertThat(poll).as("nothing to answer yet").isNotDone();

        meta.deliver(Webhooks.igMessage(crm.igAccountId(), peer, Webhooks.newIgMid(), System.currentTimeMillis()));
        Gateway.Response r = poll.get(20, TimeUnit.SECONDS);

        assertThat(System.nanoTime() - started).as("answered by the event, not by the 30 s wait")
                .isLessThan(TimeUnit.SECONDS.toNanos(20));
        assertThat(seqs(r)).containsExactly(1L);
        assertThat(r.ret().path("events").get(0).path("type").asText()).isEqualTo("message.received");
    }

    @Test
    void aLongPollWithNothingNewAnswersNoEventsAndNextAsAfter() {
        Crm crm = newCrm();

        Gateway.Response r = gw.get("/api/v2/Events?tsid=" + crm.tsid() + "&after=0&wait=1");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.ret().path("events")).isEmpty();
        assertThat(r.ret().path("next").asLong()).isZero();
    }

    @Test
    void anotherAccountsEventsNeverAppear() {
        Crm mine = newCrm();
        Crm theirs = newCrm();
        String peer = Webhooks.newId("12544");
        send(theirs, gw, peer, Webhooks.newIgMid());
        send(theirs, gw, peer, Webhooks.newIgMid());
        send(mine, gw, peer, Webhooks.newIgMid());

        Gateway.Response r = feed(mine, "after=0");

        assertThat(seqs(r)).containsExactly(1L);
        assertThat(r.ret().path("events").get(0).path("account_id").asLong()).isEqualTo(mine.accountId());
        assertThat(seqs(feed(theirs, ""))).containsExactly(1L, 2L);
    }

    @Test
    void theFeedTakesItsParametersFromTheBodyAndTheTokenFromTheHeaderAsTheSendCallsDo() {
        Crm crm = newCrm();
        send(crm, gw, Webhooks.newId("12544"), Webhooks.newIgMid());
        send(crm, gw, Webhooks.newId("12544"), Webhooks.newIgMid());

        Gateway.Response r = gw.post("/api/v2/Events.php", "application/json", "{\"after\":1,\"limit\":5}",
                Map.of("Authorization", "Bearer " + crm.tsid()));

        assertThat(r.status()).isEqualTo(200);
        assertThat(seqs(r)).containsExactly(2L);
        assertThat(gw.get("/api/v2/Events.php?after=0").statusCode()).as("no token").isEqualTo(100);
    }

    @Test
    void invalidAfterLimitAndWaitAreRefusedWithTheirCodes() {
        Crm crm = newCrm();
        for (String after : List.of("-1", "abc", "1.5", "99999999999999999999")) {
            Gateway.Response r = feed(crm, "after=" + after);
            assertThat(r.status()).as(after).isEqualTo(400);
            assertThat(r.statusCode()).as(after).isEqualTo(293);
            assertThat(r.ret().path("status").asText()).isEqualTo("Invalid after");
        }
        for (String limit : List.of("0", "501", "ten")) {
            Gateway.Response r = feed(crm, "limit=" + limit);
            assertThat(r.status()).as(limit).isEqualTo(400);
            assertThat(r.statusCode()).as(limit).isEqualTo(294);
        }
        for (String wait : List.of("31", "-1", "2s")) {
            Gateway.Response r = feed(crm, "wait=" + wait);
            assertThat(r.status()).as(wait).isEqualTo(400);
            assertThat(r.statusCode()).as(wait).isEqualTo(295);
        }
        assertThat(gw.postJson("/api/v2/Events.php", "{\"tsid\":\"" + crm.tsid() + "\",\"after\":{\"seq\":1}}").statusCode())
                .as("an object where a number belongs").isEqualTo(293);
        assertThat(feed(crm, "limit=500&wait=0&after=0").status()).isEqualTo(200);
    }
}
