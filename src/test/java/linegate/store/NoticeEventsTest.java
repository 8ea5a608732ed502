package linegate.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events that are not message_log rows, as Stores wires them: a line's health change is one line.status event
 * written in the change's transaction, whoever sees the change and however often; a closing window is claimed once
 * and becomes one conversation.window_closing event, also when two nodes race for it.
 */
class NoticeEventsTest extends StoreTestBase {
    static final long T0 = StoreFixture.T0.toEpochMilli();
    static final long HOUR = 3_600_000L;
    static final Duration WINDOW = Conversations.STANDARD_WINDOW;

    long line;

    @BeforeEach
    void open() {
        line = stores.lines().create(new NewLine(account, LineClass.MESSENGER, Optional.empty(), Optional.empty(),
                Optional.of("107346828715123"), true, false));
    }

    private List<Map<String, Object>> events() {
        return fx.query("SELECT seq, type, line_id, peer_id, cdls_id, channel, state, previous_state, reason,"
                + " expires_at, occurred_at, delivery FROM events ORDER BY seq");
    }

    @Test
    void aHealthChangeIsOneLineStatusEventAndTheSameHealthAgainIsNone() {
        Optional<LineHealthChange> change = stores.lines().recordHealth(line, LineHealth.TOKEN_REJECTED,
                Optional.of("Meta error 190/460: Error validating access token"));
        Optional<LineHealthChange> again = stores.lines().recordHealth(line, LineHealth.TOKEN_REJECTED,
                Optional.of("Meta error 190/460: Error validating access token"));

        assertThat(change).isPresent();
        assertThat(change.get().previous()).isEqualTo(LineHealth.UNKNOWN);
        assertThat(again).as("no change").isEmpty();
        List<Map<String, Object>> events = events();
        assertThat(events).hasSize(1);
        Map<String, Object> e = events.getFirst();
        assertThat(e.get("type")).isEqualTo("line.status");
        assertThat(StoreFixture.asLong(e.get("line_id"))).isEqualTo(line);
        assertThat(e.get("peer_id")).isNull();
        assertThat(e.get("cdls_id")).isNull();
        assertThat(e.get("channel")).isEqualTo("messenger");
        assertThat(e.get("state")).isEqualTo("token_rejected");
        assertThat(e.get("previous_state")).isEqualTo("unknown");
        assertThat(e.get("reason")).isEqualTo("Meta error 190/460: Error validating access token");
        assertThat(StoreFixture.asLong(e.get("occurred_at"))).isEqualTo(T0);
        assertThat(e.get("delivery")).as("the account has no callback URL").isEqualTo("none");
        Line stored = stores.lines().find(line).orElseThrow();
        assertThat(stored.health()).isEqualTo(LineHealth.TOKEN_REJECTED);
        assertThat(stored.healthReason()).contains("Meta error 190/460: Error validating access token");

        fx.clock.advance(Duration.ofMinutes(5));
        assertThat(stores.lines().recordHealth(line, LineHealth.OK, Optional.empty())).isPresent();
        assertThat(events()).extracting(r -> r.get("previous_state") + "->" + r.get("state"))
                .containsExactly("unknown->token_rejected", "token_rejected->ok");
        assertThat(stores.lines().find(line).orElseThrow().healthReason()).as("ok has no reason").isEmpty();
    }

    @Test
    void aHealthChangeSharesTheAccountsSeqWithItsMessageEvents() {
        stores.log().append(new NewLogEntry(account, line, LineClass.MESSENGER, "1254477777772919", "text", "Hello",
                Optional.empty(), Optional.empty(), Optional.of(LoggedError.local(233, "Invalid dest", "no")), T0));
        stores.lines().recordHealth(line, LineHealth.RESTRICTED, Optional.of("Meta error 10/1893063"));

        assertThat(events()).extracting(r -> StoreFixture.asLong(r.get("seq")) + " " + r.get("type"))
                .containsExactly("1 message.status", "2 line.status");
    }

    @Test
    void aNewPageTokenMakesARejectedLineUnknownUntilMetaAnswers() {
        LineChanges newToken = new LineChanges(Optional.of(new PageAccessToken("EAAGnewTokenAfterRejection0123")),
                Optional.empty(), Optional.empty());
        stores.lines().update(line, newToken);
        assertThat(events()).as("unknown already: nothing changed").isEmpty();

        stores.lines().recordHealth(line, LineHealth.TOKEN_REJECTED, Optional.of("Meta error 190/463"));
        stores.lines().update(line, new LineChanges(Optional.empty(), Optional.of(true), Optional.empty()));
        assertThat(events()).as("no new token, no change").hasSize(1);
        Line updated = stores.lines().update(line, newToken);

        assertThat(updated.health()).isEqualTo(LineHealth.UNKNOWN);
        assertThat(updated.healthReason()).contains(Lines.NEW_TOKEN);
        assertThat(events()).extracting(r -> r.get("previous_state") + "->" + r.get("state") + " " + r.get("reason"))
                .containsExactly("unknown->token_rejected Meta error 190/463",
                        "token_rejected->unknown " + Lines.NEW_TOKEN);
    }

    @Test
    void theHealthOfALineThatDoesNotExistChangesNothing() {
        assertThat(stores.lines().recordHealth(line + 1000, LineHealth.OK, Optional.empty())).isEmpty();
        assertThat(events()).isEmpty();
    }

    @Test
    void manyThreadsOnTwoNodesSeeingOneChangeWriteOneEvent() throws Exception {
        try (Stores other = fx.open()) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Optional<LineHealthChange>>> seen = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Lines lines = (i % 2 == 0 ? stores : other).lines();
                seen.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return lines.recordHealth(line, LineHealth.TOKEN_REJECTED, Optional.of("Meta error 190"));
                }));
            }
            go.countDown();
            long changes = 0;
            for (CompletableFuture<Optional<LineHealthChange>> f : seen) {
                changes += f.get(60, TimeUnit.SECONDS).isPresent() ? 1 : 0;
            }

            assertThat(changes).isEqualTo(1);
            assertThat(events()).hasSize(1);
        }
    }

    private void inbound(long lineId, String peer, long at) {
        stores.conversations().recordInbound(lineId, peer, at);
    }

    private List<ClosingWindow> due() {
        long openedAfter = fx.clock.millis() - WINDOW.toMillis();
        return stores.conversations().closingWindows(openedAfter, openedAfter + HOUR, WINDOW, 100);
    }

    @Test
    void theWindowsThatCloseWithinTheWarningAreFoundOldestFirst() {
        long inactive = stores.lines().create(new NewLine(account, LineClass.MESSENGER, Optional.empty(),
                Optional.empty(), Optional.of("107346828715999"), false, false));
        inbound(line, "closed", T0 - 25 * HOUR);
        inbound(line, "in-30-min", T0 - 23 * HOUR - 30 * 60_000L);
        inbound(line, "in-50-min", T0 - 23 * HOUR - 10 * 60_000L);
        inbound(line, "in-2-hours", T0 - 22 * HOUR);
        inbound(inactive, "inactive-line", T0 - 23 * HOUR - 30 * 60_000L);

        List<ClosingWindow> due = due();

        assertThat(due).extracting(ClosingWindow::peerId).containsExactly("in-30-min", "in-50-min");
        ClosingWindow first = due.getFirst();
        assertThat(first.accountId()).isEqualTo(account);
        assertThat(first.lineClass()).isEqualTo(LineClass.MESSENGER);
        assertThat(first.expiresAt()).isEqualTo(T0 + 30 * 60_000L);
    }

    @Test
    void aWindowIsWarnedOnceAndTheNextWindowAgain() {
        inbound(line, "1254477777772919", T0 - 23 * HOUR - 30 * 60_000L);
        ClosingWindow window = due().getFirst();

        assertThat(stores.conversations().warn(window)).isTrue();
        assertThat(stores.conversations().warn(window)).as("claimed already").isFalse();
        assertThat(due()).as("a warned window is not due again").isEmpty();
        List<Map<String, Object>> events = events();
        assertThat(events).hasSize(1);
        Map<String, Object> e = events.getFirst();
        assertThat(e.get("type")).isEqualTo("conversation.window_closing");
        assertThat(e.get("peer_id")).isEqualTo("1254477777772919");
        assertThat(e.get("channel")).isEqualTo("messenger");
        assertThat(StoreFixture.asLong(e.get("expires_at"))).isEqualTo(T0 + 30 * 60_000L);

        // the customer writes again: a new window, which gets its own warning when it nears its end
        long later = T0 + 10 * 60_000L;
        inbound(line, "1254477777772919", later);
        assertThat(stores.conversations().warn(window)).as("the old window is gone").isFalse();
        fx.clock.advance(Duration.ofHours(23).plusMinutes(30));
        List<ClosingWindow> next = due();
        assertThat(next).extracting(ClosingWindow::lastInboundAt).containsExactly(later);
        assertThat(stores.conversations().warn(next.getFirst())).isTrue();
        assertThat(events()).hasSize(2);
    }

    @Test
    void twoNodesRacingForOneWindowWriteOneEvent() throws Exception {
        inbound(line, "1254477777772919", T0 - 23 * HOUR - 30 * 60_000L);
        ClosingWindow window = due().getFirst();
        try (Stores other = fx.open()) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Conversations conversations = (i % 2 == 0 ? stores : other).conversations();
                claims.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return conversations.warn(window);
                }));
            }
            go.countDown();
            long claimed = 0;
            for (CompletableFuture<Boolean> c : claims) {
                claimed += c.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }

            assertThat(claimed).isEqualTo(1);
            assertThat(events()).hasSize(1);
        }
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
