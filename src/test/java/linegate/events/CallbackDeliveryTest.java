package linegate.events;

import linegate.testing.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.store.Stores;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The delivery worker against a real HTTP receiver on loopback, on real SQLite and PostgreSQL. The events' rows are
 * written here as the outbox writes them; the worker is driven by calling {@link CallbackDelivery#poll} as the
 * server's scheduler does, and time by a clock the test moves. The receiver is on loopback, so these workers allow
 * private addresses, except the one that proves the refusal.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class CallbackDeliveryTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final long BASE_MS = 1_000;

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    final MovableClock clock = new MovableClock(T0);
    final CallbackReceiver receiver = new CallbackReceiver();
    final List<CallbackDelivery> workers = new ArrayList<>();
    final Map<Long, String> secrets = new HashMap<>();
    Stores stores;

    @BeforeEach
    void open() {
        Map<String, String> env = db.freshEnv(tmp);
        stores = Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(env.get("LINEGATE_MASTER_KEY")), clock);
    }

    @AfterEach
    void close() {
        workers.forEach(CallbackDelivery::close);
        receiver.close();
        stores.close();
    }

    // ---- fixtures

    long account(String path) {
        long id = stores.accounts().create("Account " + path);
        String secret = CallbackSecrets.generate();
        assertThat(stores.callbacks().setUrl(id, receiver.url(path), secret)).isTrue();
        secrets.put(id, secret);
        return id;
    }

    /** An event row as the outbox writes it for an account with a callback URL: pending, due at once. */
    long event(long account, long seq, long line, String peer) {
        long now = clock.millis();
        return stores.db().call(h -> h.createQuery("""
                        INSERT INTO events (event_id, account_id, seq, type, line_id, peer_id, occurred_at, delivery,
                                            next_attempt_at, created_at)
                        VALUES (:eid, :account, :seq, 'message.received', :line, :peer, :now, 'pending', :now, :now)
                        RETURNING id""")
                .bind("eid", eventId(account, seq))
                .bind("account", account).bind("seq", seq).bind("line", line).bind("peer", peer).bind("now", now)
                .mapTo(Long.class).one());
    }

    static String eventId(long account, long seq) {
        return "evt_" + account + "_" + seq;
    }

    /** A body that names its row, as the renderer's would: what the signature must cover byte for byte. */
    EventBodies bodies() {
        return id -> stores.db().call(h -> h.createQuery("SELECT event_id, seq FROM events WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> ("{\"event_id\":\"" + rs.getString(1) + "\",\"seq\":" + rs.getLong(2) + ",\"text\":\"✓\"}")
                        .getBytes(StandardCharsets.UTF_8))
                .one());
    }

    CallbackDelivery worker(boolean allowPrivate, Duration maxAge) {
        long node = stores.nodes().register(clock.millis());
        CallbackDelivery w = new CallbackDelivery(stores.deliveries(), stores.callbacks(), bodies(),
                new CallbackClient(new CallbackAddresses(allowPrivate)), new RetrySchedule(Duration.ofMillis(BASE_MS),
                new Random(7)), maxAge, 8, node, clock, new SimpleMeterRegistry());
        workers.add(w);
        return w;
    }

    CallbackDelivery worker() {
        return worker(true, Duration.ofHours(24));
    }

    record Row(String delivery, int attempts, long nextAttemptAt, String lastError) {
    }

    Row row(long id) {
        return stores.db().call(h -> h.createQuery("""
                        SELECT delivery, attempts, next_attempt_at, last_error FROM events WHERE id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4))).one());
    }

    /** Polls until the condition holds (the worker's own threads record outcomes), at most 30 s. */
    static void pollUntil(CallbackDelivery worker, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
            worker.poll();
            sleep(20);
        }
    }

    /** Polls a few times more, to show that nothing else is sent. */
    static void pollAFewTimes(CallbackDelivery worker) {
        for (int i = 0; i < 5; i++) {
            worker.poll();
            sleep(40);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    // ---- tests

    @Test
    void deliversOnceOn2xxSignedWithTheAccountsSecret() throws Exception {
        long account = account("/crm");
        long id = event(account, 1, 1, "cust-1");
        CallbackDelivery worker = worker();

        pollUntil(worker, () -> row(id).delivery().equals("delivered"));
        pollAFewTimes(worker);

        assertThat(receiver.at("/crm")).hasSize(1);
        CallbackReceiver.Received r = receiver.at("/crm").getFirst();
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"event_id\":\"" + eventId(account, 1) + "\",\"seq\":1,\"text\":\"✓\"}");
        assertThat(r.eventId()).isEqualTo(eventId(account, 1));
        assertThat(r.contentType()).startsWith("application/json");
        long t = T0.getEpochSecond();
        assertThat(r.signature()).isEqualTo("t=" + t + ",v1=" + CallbackSignatureTest.hmacHex(secrets.get(account), t + "." + body));
        assertThat(row(id).attempts()).isEqualTo(1);
        assertThat(row(id).lastError()).isNull();
    }

    @Test
    void aFailedAttemptIsRetriedOnTheScheduleWithJitter() {
        long account = account("/flaky");
        AtomicInteger calls = new AtomicInteger();
        receiver.behaviors.put("/flaky", r -> calls.incrementAndGet() <= 2 ? 500 : 204);
        long id = event(account, 1, 1, "cust-1");
        CallbackDelivery worker = worker();

        pollUntil(worker, () -> row(id).attempts() == 1);
        Row first = row(id);
        assertThat(first.delivery()).isEqualTo("pending");
        assertThat(first.lastError()).isEqualTo("HTTP 500");
        assertThat(first.nextAttemptAt() - clock.millis()).as("about 1 base").isBetween(800L, 1200L);
        pollAFewTimes(worker);
        assertThat(receiver.at("/flaky")).as("not before it is due").hasSize(1);

        clock.advance(Duration.ofMillis(1_300));
        pollUntil(worker, () -> row(id).attempts() == 2);
        assertThat(row(id).nextAttemptAt() - clock.millis()).as("about 3 bases").isBetween(2_400L, 3_600L);

        clock.advance(Duration.ofMillis(3_700));
        pollUntil(worker, () -> row(id).delivery().equals("delivered"));
        assertThat(receiver.at("/flaky")).hasSize(3).extracting(CallbackReceiver.Received::eventId)
                .containsOnly(eventId(account, 1));
    }

    @Test
    void theScheduleGrowsToHourlyOnTheBase() {
        RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(10), new Random(3));
        long[] nominalSeconds = {10, 30, 120, 600, 1800, 3600, 3600, 3600};
        for (int i = 0; i < nominalSeconds.length; i++) {
            assertThat(schedule.delayAfter(i + 1).toMillis()).as("after failure " + (i + 1))
                    .isBetween(nominalSeconds[i] * 800, nominalSeconds[i] * 1200);
        }
    }

    @Test
    void aRefusedConnectionIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        long account = stores.accounts().create("Closed");
        stores.callbacks().setUrl(account, "http://127.0.0.1:" + closedPort + "/crm", CallbackSecrets.generate());
        long id = event(account, 1, 1, "cust-1");
        CallbackDelivery worker = worker();

        pollUntil(worker, () -> row(id).attempts() == 1);
        assertThat(row(id).delivery()).isEqualTo("pending");
        assertThat(row(id).lastError()).isEqualTo("connection refused");
    }

    @Test
    void anAnswerSlowerThanTenSecondsIsAFailedAttempt() {
        assumeTrue(db == TestDb.SQLITE, "the client's timeout does not depend on the database");
        long account = account("/slow");
        CountDownLatch release = new CountDownLatch(1);
        receiver.behaviors.put("/slow", r -> {
            await(release, 20);
            return 200;
        });
        long id = event(account, 1, 1, "cust-1");
        CallbackDelivery worker = worker();
        try {
            pollUntil(worker, () -> row(id).attempts() == 1);
            assertThat(row(id).delivery()).isEqualTo("pending");
            assertThat(row(id).lastError()).isEqualTo("no answer within 10 s");
        } finally {
            release.countDown();
        }
    }

    @Test
    void anEventIsDeadAfterMaxAgeAndRedeliverSendsItAgain() {
        long account = account("/down");
        receiver.behaviors.put("/down", r -> 503);
        long id = event(account, 1, 1, "cust-1");
        CallbackDelivery worker = worker(true, Duration.ofHours(1));

        pollUntil(worker, () -> row(id).attempts() == 1);
        assertThat(row(id).delivery()).isEqualTo("pending");
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(CallbackDelivery.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        log.addAppender(logs);
        try {
            clock.advance(Duration.ofMinutes(61));
            pollUntil(worker, () -> row(id).delivery().equals("dead"));
        } finally {
            log.detachAppender(logs);
        }
        assertThat(row(id).lastError()).isEqualTo("HTTP 503");
        assertThat(logs.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .singleElement().asString()
                .contains("event " + eventId(account, 1) + " of account " + account + " is dead", "last error: HTTP 503")
                .doesNotContain(secrets.get(account), secrets.get(account).substring(6));
        int attemptsWhenDead = receiver.at("/down").size();
        clock.advance(Duration.ofHours(2));
        pollAFewTimes(worker);
        assertThat(receiver.at("/down")).as("no attempt after dead").hasSize(attemptsWhenDead);

        receiver.behaviors.put("/down", r -> 200);
        assertThat(stores.deliveries().redeliver(account, java.util.Optional.empty(),
                java.util.Optional.of(eventId(account, 1)), clock.millis())).isEqualTo(1);
        pollUntil(worker, () -> row(id).delivery().equals("delivered"));
        assertThat(receiver.at("/down")).hasSize(attemptsWhenDead + 1).last()
                .extracting(CallbackReceiver.Received::eventId).isEqualTo(eventId(account, 1));
    }

    @Test
    void eventsGoInOrderPerConversationAndConversationsIndependently() {
        long account = account("/order");
        AtomicInteger firstOfA = new AtomicInteger();
        receiver.behaviors.put("/order", r -> r.eventId().equals(eventId(account, 1)) && firstOfA.getAndIncrement() == 0
                ? 500 : 200);
        long a1 = event(account, 1, 1, "cust-A");
        long b2 = event(account, 2, 1, "cust-B");
        long a3 = event(account, 3, 1, "cust-A");
        long b4 = event(account, 4, 1, "cust-B");
        CallbackDelivery worker = worker();

        pollUntil(worker, () -> row(b4).delivery().equals("delivered") && row(a1).attempts() == 1);
        pollAFewTimes(worker);
        assertThat(row(a1).delivery()).isEqualTo("pending");
        assertThat(row(b2).delivery()).isEqualTo("delivered");
        assertThat(row(a3).attempts()).as("not sent while a1 is pending").isZero();

        clock.advance(Duration.ofSeconds(2));
        pollUntil(worker, () -> row(a3).delivery().equals("delivered"));
        List<String> order = receiver.at("/order").stream().map(CallbackReceiver.Received::eventId).toList();
        List<String> conversationA = order.stream().filter(e -> e.endsWith("_1") || e.endsWith("_3")).toList();
        List<String> conversationB = order.stream().filter(e -> e.endsWith("_2") || e.endsWith("_4")).toList();
        assertThat(conversationA).containsExactly(eventId(account, 1), eventId(account, 1), eventId(account, 3));
        assertThat(conversationB).containsExactly(eventId(account, 2), eventId(account, 4));
    }

    @Test
    void aHangingEndpointHoldsOnlyItsOwnAccountsSlots() {
        long hanging = account("/hangs");
        long healthy = account("/healthy");
        CountDownLatch release = answersOnlyOnceReleased("/hangs");
        List<Long> healthyIds = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            event(hanging, i, 1, "cust-" + i);
            healthyIds.add(event(healthy, i, 1, "cust-" + (i % 5)));
        }
        CallbackDelivery worker = worker();
        try {
            pollUntil(worker, () -> healthyIds.stream().allMatch(id -> row(id).delivery().equals("delivered")));

            assertThat(release.getCount()).as("the hanging account's requests are all still waiting").isEqualTo(1);
            assertThat(receiver.at("/healthy")).hasSize(20);
            assertThat(receiver.maxInFlightByPath.get("/hangs")).as("LINEGATE_CALLBACK_CONCURRENCY").isEqualTo(8);
            assertThat(receiver.at("/hangs")).hasSize(8);
        } finally {
            release.countDown();
        }
    }

    @Test
    void claimsAheadOfItsRequestsAndStartsTheNextWaitingOneAsARequestEnds() {
        long account = account("/ahead");
        CountDownLatch release = answersOnlyOnceReleased("/ahead");
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            ids.add(event(account, i, 1, "cust-" + i));
        }
        CallbackDelivery worker = worker();
        worker.poll();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (receiver.at("/ahead").size() < 8 && System.nanoTime() < deadline) {
                sleep(20);
            }
            assertThat(receiver.at("/ahead")).as("LINEGATE_CALLBACK_CONCURRENCY in flight").hasSize(8);
            assertThat(leased(account)).as("all 40 claimed in one go, 32 waiting on this node").isEqualTo(40);
        } finally {
            release.countDown();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ids.stream().allMatch(id -> row(id).delivery().equals("delivered"))) {
            assertThat(System.nanoTime()).as("all delivered without another poll").isLessThan(deadline);
            sleep(20);
        }
        assertThat(receiver.at("/ahead")).hasSize(40);
        assertThat(receiver.maxInFlightByPath.get("/ahead")).isEqualTo(8);
    }

    int leased(long account) {
        return stores.db().call(h -> h.createQuery("""
                        SELECT COUNT(*) FROM events WHERE account_id = :account AND lease_node IS NOT NULL""")
                .bind("account", account).mapTo(Integer.class).one());
    }

    @Test
    void aLoopbackUrlIsRefusedAtDeliveryUnlessPrivateAddressesAreAllowed() {
        long account = account("/private");
        long id = event(account, 1, 1, "cust-1");
        CallbackDelivery strict = worker(false, Duration.ofHours(24));

        pollUntil(strict, () -> row(id).attempts() == 1);
        assertThat(row(id).delivery()).isEqualTo("pending");
        assertThat(row(id).lastError()).contains("resolves to 127.0.0.1, a loopback address")
                .contains("LINEGATE_CALLBACK_ALLOW_PRIVATE");
        assertThat(receiver.received).isEmpty();
    }

    @Test
    void twoNodesNeverDeliverOneEventTwiceAtOnceAndDeliverAll() throws Exception {
        assumeTrue(db == TestDb.POSTGRESQL, "SQLite serves one node");
        long first = account("/first");
        long second = account("/second");
        receiver.behaviors.put("/first", r -> {
            sleep(3);
            return 200;
        });
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            ids.add(event(first, i, 1 + i % 3, "cust-" + (i % 10)));
            ids.add(event(second, i, 1, "cust-" + (i % 4)));
        }
        CallbackDelivery a = worker();
        CallbackDelivery b = worker();
        Thread other = Thread.ofPlatform().start(() -> pollUntil(b, () -> allDelivered(ids)));
        pollUntil(a, () -> allDelivered(ids));
        other.join(30_000);

        assertThat(receiver.overlapsOfOneEvent).as("one event in flight at two nodes").hasValue(0);
        assertThat(receiver.received).hasSize(300);
        assertThat(receiver.received.stream().map(CallbackReceiver.Received::eventId).distinct()).hasSize(300);
        assertThat(receiver.maxInFlightByPath.get("/first")).isLessThanOrEqualTo(8);
        for (int conversation = 0; conversation < 10; conversation++) {
            int c = conversation;
            List<Long> seqs = receiver.at("/first").stream()
                    .map(r -> Long.parseLong(r.eventId().substring(r.eventId().lastIndexOf('_') + 1)))
                    .filter(seq -> seq % 10 == c && true).filter(seq -> true).toList();
            List<Long> sameLine = new ArrayList<>();
            for (long s : seqs) {
                if ((1 + s % 3) == (1 + seqs.getFirst() % 3)) {
                    sameLine.add(s);
                }
            }
            assertThat(sameLine).as("conversation " + c + " in seq order").isSorted();
        }
    }

    boolean allDelivered(List<Long> ids) {
        return stores.db().call(h -> h.createQuery("SELECT COUNT(*) FROM events WHERE delivery = 'delivered'")
                .mapTo(Integer.class).one()) == ids.size();
    }

    /** The receiver holds each request to {@code path} until the latch is counted down (at most 30 s), then 200. */
    CountDownLatch answersOnlyOnceReleased(String path) {
        CountDownLatch release = new CountDownLatch(1);
        receiver.behaviors.put(path, r -> {
            await(release, 30);
            return 200;
        });
        return release;
    }

    static void await(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
