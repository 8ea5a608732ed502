package linegate.webhook;

import linegate.meta.WebhookEvent;
import linegate.store.LineClass;
import linegate.store.LogOutcome;
import linegate.store.LogState;
import linegate.store.LoggedError;
import linegate.store.MessageChange;
import linegate.store.NewLine;
import linegate.store.NewLogEntry;
import linegate.store.Stores;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static linegate.store.MessageChange.Kind.ECHO;
import static linegate.store.MessageChange.Kind.READ;
import static linegate.store.MessageChange.Kind.RECEIVED;
import static linegate.store.MessageChange.Kind.SENT;
import static linegate.webhook.EventApplier.Result.APPLIED;
import static linegate.webhook.EventApplier.Result.DUPLICATE;
import static linegate.webhook.EventApplier.Result.NO_LINE;
import static linegate.webhook.EventApplier.Result.UNKNOWN_KIND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applying an event answers the counter's result (as {@code linegate_webhook_events_total} has always counted it) and
 * the message-log changes it made, on real SQLite and PostgreSQL.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class EventApplierTest {
    static final Instant NOW = Instant.parse("2026-11-25T11:00:00Z");
    static final long T0 = NOW.toEpochMilli() - 60_000;
    static final String IG_ACCOUNT = "17841400000000001";
    static final String PEER = "1254477777772919";
    static final WebhookEvent.Target LINE = new WebhookEvent.Target("instagram", IG_ACCOUNT);

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Stores stores;
    EventApplier applier;
    long account;
    long line;

    @BeforeEach
    void open() {
        Map<String, String> env = db.freshEnv(tmp);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        stores = Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(TestDb.MASTER_KEY), clock);
        applier = new EventApplier(linegate.channel.Channels.standard(), stores.lines(), stores.log(), stores.conversations(),
                stores.comments(), clock);
        account = stores.accounts().create("Acme Dental");
        line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(), Optional.of(IG_ACCOUNT),
                Optional.empty(), true, false));
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private WebhookEvent.Inbound message(String mid) {
        return new WebhookEvent.Inbound(LINE, PEER, T0, "text", "Is my order ready?", Optional.of(mid), "msg:" + mid, "{}");
    }

    private long outbound(String text) {
        return stores.log().append(new NewLogEntry(account, line, LineClass.INSTAGRAM, PEER, "text", text,
                Optional.empty(), Optional.empty(), Optional.empty(), T0)).cdlsId();
    }

    @Test
    void aMessageIsAppliedWithItsReceivedChangeAndItsRedeliveryIsADuplicateWithNone() {
        EventApplier.Applied first = applier.apply(message("m_1"));

        assertThat(first.result()).isEqualTo(APPLIED);
        assertThat(first.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(RECEIVED);
            assertThat(c.lineId()).isEqualTo(line);
            assertThat(c.peerId()).isEqualTo(PEER);
            assertThat(stores.log().find(c.cdlsId()).orElseThrow().state()).isEqualTo(LogState.RECEIVED);
        });
        assertThat(applier.apply(message("m_1"))).isEqualTo(new EventApplier.Applied(DUPLICATE, List.of()));
    }

    @Test
    void anEchoOfAnUnansweredSendCountsAsADuplicateAndReportsTheRowSent() {
        long unknown = outbound("Your order has shipped");
        stores.log().finish(unknown, new LogOutcome.Unknown(LoggedError.local(280, "Meta API unreachable", "timeout"), T0));

        EventApplier.Applied echo = applier.apply(new WebhookEvent.Echo(LINE, PEER, T0 + 1_000, "m_lost", "text",
                "Your order has shipped", "{}"));

        assertThat(echo).isEqualTo(new EventApplier.Applied(DUPLICATE,
                List.of(new MessageChange(unknown, account, line, PEER, SENT, T0 + 1_000))));
    }

    @Test
    void anEchoTypedInMetasAppsIsAppliedWithItsEchoChange() {
        EventApplier.Applied echo = applier.apply(new WebhookEvent.Echo(LINE, PEER, T0, "m_app", "text", "Typed by hand",
                "{}"));

        assertThat(echo.result()).isEqualTo(APPLIED);
        assertThat(echo.changes()).extracting(MessageChange::kind).containsExactly(ECHO);
    }

    @Test
    void aSeenReceiptIsAppliedWithItsReadChangesAndItsRedeliveryIsADuplicate() {
        long id = outbound("Your order has shipped");
        stores.log().finish(id, new LogOutcome.Sent("m_out", T0 + 10));
        WebhookEvent.Read seen = new WebhookEvent.Read(LINE, PEER, T0 + 5_000, Optional.of("m_out"), Optional.empty());

        assertThat(applier.apply(seen)).isEqualTo(new EventApplier.Applied(APPLIED,
                List.of(new MessageChange(id, account, line, PEER, READ, T0 + 5_000))));
        assertThat(applier.apply(seen)).isEqualTo(new EventApplier.Applied(DUPLICATE, List.of()));
    }

    @Test
    void anEventForNoLineOrOfAnUnknownKindChangesNothing() {
        WebhookEvent.Target nobody = new WebhookEvent.Target("instagram", "17841499999999999");

        assertThat(applier.apply(new WebhookEvent.Inbound(nobody, PEER, T0, "text", "hi", Optional.of("m_9"), "msg:m_9",
                "{}"))).isEqualTo(new EventApplier.Applied(NO_LINE, List.of()));
        assertThat(applier.apply(new WebhookEvent.Unknown(LINE, "message_reactions_v9")))
                .isEqualTo(new EventApplier.Applied(UNKNOWN_KIND, List.of()));
        assertThat(stores.log().list(Optional.empty(), 10)).isEmpty();
    }
}
