package linegate.store;

import linegate.store.events.Outbox;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The transactional outbox as Stores wires it: every message_log change that is an event writes its row in the
 * change's transaction (plain writer, sweeps, webhooks, group commit), numbered by the account's seq; a failed event
 * insert rolls its change back; and on PostgreSQL the account row's lock makes an account's events commit in seq order.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class OutboxTest {
    static final long T0 = StoreFixture.T0.toEpochMilli();
    static final String PEER = "1254477777772919";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    StoreFixture fx;
    Stores stores;
    MessageLog log;
    long account;
    long line;

    @BeforeEach
    void open() {
        fx = new StoreFixture(db, tmp);
        stores = fx.open();
        log = stores.log();
        account = stores.accounts().create("Acme Dental");
        line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(),
                Optional.of("17841405793187218"), Optional.empty(), true, false));
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private long send(String msgId) {
        return log.append(new NewLogEntry(account, line, LineClass.INSTAGRAM, PEER, "text", "Your order has shipped",
                Optional.of(msgId), Optional.empty(), Optional.empty(), T0)).cdlsId();
    }

    private InboundEntry inbound(boolean echo, String mid, long at) {
        return new InboundEntry(account, line, LineClass.INSTAGRAM, echo, PEER, "text", "Hello", Optional.of(mid),
                "message:" + mid, "{\"message\":{\"mid\":\"" + mid + "\",\"text\":\"Hello\"}}", at);
    }

    private List<Map<String, Object>> events() {
        return fx.query("SELECT seq, type, cdls_id, state, occurred_at, delivery, line_id, peer_id, event_id"
                + " FROM events ORDER BY seq");
    }

    private static List<String> typeAndState(List<Map<String, Object>> events) {
        return events.stream().map(e -> e.get("type") + (e.get("state") == null ? "" : ":" + e.get("state"))).toList();
    }

    @Test
    void eachChangeThatIsAnEventWritesItWithTheNextSeq() {
        long sent = send("crm-1");
        assertThat(events()).as("a row accepted before the Graph call is no event").isEmpty();
        log.finish(sent, new LogOutcome.Sent("aWdf.1", T0 + 300));
        long failed = send("crm-2");
        log.finish(failed, new LogOutcome.Failed(new LoggedError(250, "Page access token rejected", null, 190, null,
                "OAuthException", "Invalid OAuth access token", "AbC"), T0 + 400));
        long lost = send("crm-3");
        log.finish(lost, new LogOutcome.Unknown(new LoggedError(280, "Meta API unreachable", "timeout", null, null,
                null, null, null), T0 + 500));
        log.markDelivered(new Receipt(line, PEER, List.of("aWdf.1"), Optional.empty(), T0 + 600), T0 + 650);
        log.markRead(new Receipt(line, PEER, List.of("aWdf.1"), Optional.empty(), T0 + 700), T0 + 750);
        log.logInbound(inbound(false, "m_in", T0 + 800), T0 + 850);
        log.logInbound(inbound(true, "m_echo", T0 + 900), T0 + 950);
        log.applyEdit(new InboundEdit(line, "m_in", "Hello again", 1, T0 + 1000), T0 + 1050);
        log.markDeleted(line, "m_in", T0 + 1100, T0 + 1150);
        long abandoned = send("crm-4");
        log.markAbandonedAsUnknown(T0 + 60_000, T0 + 120_000, 0, Set.of());

        List<Map<String, Object>> events = events();
        assertThat(typeAndState(events)).containsExactly("message.status:sent", "message.status:failed",
                "message.status:unknown", "message.status:delivered", "message.status:read", "message.received",
                "message.echo", "message.status:unknown");
        assertThat(events).extracting(e -> StoreFixture.asLong(e.get("seq"))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(events).extracting(e -> StoreFixture.asLong(e.get("cdls_id")))
                .startsWith(sent, failed, lost, sent, sent).endsWith(abandoned);
        assertThat(StoreFixture.asLong(events.getFirst().get("occurred_at"))).isEqualTo(T0 + 300);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("delivery")).as("no callback URL: never delivered").isEqualTo("none");
            assertThat(StoreFixture.asLong(e.get("line_id"))).isEqualTo(line);
            assertThat(e.get("peer_id")).isEqualTo(PEER);
            assertThat((String) e.get("event_id")).matches("evt_[0-9A-HJKMNP-TV-Z]{26}");
        });
        assertThat(events).extracting(e -> e.get("event_id")).doesNotHaveDuplicates();
        assertThat(StoreFixture.asLong(fx.one("SELECT event_seq FROM accounts WHERE id = ?", account).get("event_seq")))
                .isEqualTo(8L);
    }

    @Test
    void anEventOfAnAccountWithACallbackUrlIsPending() {
        fx.execute("UPDATE accounts SET callback_url = 'https://crm.example.com/linegate' WHERE id = ?", account);

        log.logInbound(inbound(false, "m_1", T0), T0 + 10);

        assertThat(events()).extracting(e -> e.get("delivery")).containsExactly("pending");
    }

    @Test
    void aFailedEventInsertRollsItsChangeBack() {
        long id = send("crm-1");
        // the account's next seq is taken already: the event's insert breaks UNIQUE (account_id, seq)
        fx.execute("INSERT INTO events (event_id, account_id, seq, type, occurred_at, delivery, next_attempt_at,"
                + " created_at) VALUES ('evt_planted', ?, 1, 'message.status', 0, 'none', 0, 0)", account);

        assertThatThrownBy(() -> log.finish(id, new LogOutcome.Sent("aWdf.1", T0 + 300)));

        assertThat(log.find(id).orElseThrow().state()).isEqualTo(LogState.ACCEPTED);
        assertThat(StoreFixture.asLong(fx.one("SELECT event_seq FROM accounts WHERE id = ?", account).get("event_seq")))
                .as("the seq was rolled back with the change").isZero();
        assertThat(events()).extracting(e -> e.get("event_id")).containsExactly("evt_planted");
    }

    @Test
    void aRedeliveredWebhookWritesNoSecondEvent() {
        log.logInbound(inbound(false, "m_1", T0), T0 + 10);
        log.markDelivered(new Receipt(line, PEER, List.of("m_none"), Optional.empty(), T0 + 20), T0 + 30);

        assertThat(log.logInbound(inbound(false, "m_1", T0), T0 + 40)).isEmpty();

        assertThat(typeAndState(events())).containsExactly("message.received");
    }

    @Test
    void groupCommitWritesEachWritesEventInTheBatchTransaction() throws Exception {
        try (BatchingMessageLogWriter writer = new BatchingMessageLogWriter(log, 64, Duration.ZERO);
             java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> sends = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String msgId = "crm-" + i;
                sends.add(CompletableFuture.runAsync(() -> {
                    long id = writer.append(new NewLogEntry(account, line, LineClass.INSTAGRAM, PEER, "text", "Hi",
                            Optional.of(msgId), Optional.empty(), Optional.empty(), T0)).cdlsId();
                    writer.finish(id, new LogOutcome.Sent("aWdf." + msgId, T0 + 1));
                }, callers));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }

        List<Map<String, Object>> events = events();
        assertThat(events).hasSize(40);
        assertThat(events).extracting(e -> StoreFixture.asLong(e.get("seq")))
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
        assertThat(events).extracting(e -> StoreFixture.asLong(e.get("cdls_id"))).doesNotHaveDuplicates();
    }

    /**
     * A takes seq 1 and holds its transaction open; B, of the same account, must wait for A's commit before it can
     * take seq 2, so a reader never sees 2 while 1 may still commit.
     */
    @Test
    void aHigherSeqNeverCommitsBeforeALowerOneOfTheSameAccount() throws Exception {
        assumeThat(db).as("SQLite has one writer at a time").isEqualTo(TestDb.POSTGRESQL);
        long first = send("crm-1");
        long second = send("crm-2");
        Outbox outbox = stores.outbox();
        CountDownLatch aHasSeq = new CountDownLatch(1);
        CountDownLatch aMayCommit = new CountDownLatch(1);
        MessageLog slowLog = new MessageLog(stores.db(), (tx, change) -> {
            outbox.record(tx, change);
            aHasSeq.countDown();
            try {
                aMayCommit.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // threads of their own: the common pool may have a single worker on a small machine
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(2);
        CompletableFuture<List<MessageChange>> a = CompletableFuture.supplyAsync(
                () -> slowLog.finish(first, new LogOutcome.Sent("aWdf.1", T0 + 1)), writers);
        assertThat(aHasSeq.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<List<MessageChange>> b = CompletableFuture.supplyAsync(
                () -> log.finish(second, new LogOutcome.Sent("aWdf.2", T0 + 2)), writers);

        Callers.awaitUntil("B waits for the account row's lock", () -> StoreFixture.asLong(fx.one(
                "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()").get("n")) == 1);
        assertThat(b).isNotDone();
        assertThat(outbox.after(account, 0, 10)).as("neither committed yet").isEmpty();

        aMayCommit.countDown();
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
        writers.shutdown();
        assertThat(outbox.after(account, 0, 10)).extracting(e -> e.seq() + ":" + e.cdlsId().orElseThrow())
                .containsExactly("1:" + first, "2:" + second);
    }
}
