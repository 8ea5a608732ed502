package linegate.send;

import linegate.testing.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;
import linegate.meta.GraphClient;
import linegate.meta.OutboundMessage;
import linegate.channel.Channel;
import linegate.channel.Channels;
import linegate.meta.GraphEndpoint;
import linegate.meta.GraphOutcome;
import linegate.meta.MetaUsage;
import linegate.meta.OutboundMessage.Kind;
import linegate.health.LineHealthTracker;
import linegate.pacing.LinePauses;
import linegate.store.Conversations;
import linegate.store.LineClass;
import linegate.store.LogState;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.Stores;
import linegate.testing.TestDb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The window's edges, to the millisecond, with time in the test's hands: the send pipeline on real stores (both
 * databases), a clock the test sets, and a hand-written Graph client that records what it was asked to send. "Older
 * than 24 hours" (docs/api.md, "The messaging window") means exactly 24 hours is still inside; likewise 7 days with HUMAN_AGENT.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WindowBoundaryTest {
    private static final Channel INSTAGRAM = Channels.standard().byName("instagram").orElseThrow();
    private static final Instant T0 = Instant.parse("2026-11-25T10:15:30.123Z");
    private static final AtomicLong PEERS = new AtomicLong(1_254_477_800_000_000L);

    @Parameter
    TestDb db;

    final MovableClock clock = new MovableClock(T0);
    final RecordingGraph graph = new RecordingGraph();
    Stores stores;
    MessageSender sender;
    long accountId;
    long line;
    long agentLine;
    String peer;

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void open(@TempDir Path tmp) {
        Map<String, String> env = db.freshEnv(tmp);
        stores = Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(TestDb.MASTER_KEY), clock);
        accountId = stores.accounts().create("Acme Dental");
        line = line(false);
        agentLine = line(true);
        sender = new MessageSender(stores.lookups(), stores.log(), stores.log(), stores.conversations(),
                stores.comments(), graph,
                new LineRateLimiter(1000), new UnrecordedOutcomes(stores.log(), 10, new SimpleMeterRegistry()),
                new LineHealthTracker(stores.lines()), new LinePauses(stores.pauses(), 95, clock, new SimpleMeterRegistry()),
                linegate.media.MediaCheck.off(), stores.nodes().register(T0.toEpochMilli()), clock);
    }

    @AfterParameterizedClassInvocation
    void close() {
        stores.close();
    }

    @BeforeEach
    void freshPeer() {
        clock.set(T0);
        graph.sent.clear();
        peer = Long.toString(PEERS.incrementAndGet());
    }

    @Test
    void sendsWhenTheCustomerWroteExactly24HoursAgo() {
        customerWroteAt(line, T0);
        clock.set(T0.plus(Duration.ofHours(24)));

        assertThat(send(line, false)).isInstanceOf(SendOutcome.Sent.class);
        assertThat(graph.sent).hasSize(1);
    }

    @Test
    void answers240OneMillisecondPast24Hours() {
        customerWroteAt(line, T0);
        clock.set(T0.plus(Duration.ofHours(24)).plusMillis(1));

        SendOutcome.Refused e = refused(line, false);

        assertThat(e.code()).isEqualTo(StatusCode.OUTSIDE_WINDOW);
        assertThat(e.detail()).contains(T0.toString());
        assertThat(e.cdlsId()).isPresent();
        assertThat(stores.log().find(e.cdlsId().getAsLong()).orElseThrow().state()).isEqualTo(LogState.FAILED);
        assertThat(graph.sent).isEmpty();
    }

    @Test
    void theHumanAgentWindowEndsExactlySevenDaysAfterTheCustomersMessage() {
        customerWroteAt(agentLine, T0);

        clock.set(T0.plus(Duration.ofDays(7)));
        send(agentLine, true);
        clock.set(T0.plus(Duration.ofDays(7)).plusMillis(1));
        SendOutcome.Refused e = refused(agentLine, true);

        assertThat(e.code()).isEqualTo(StatusCode.OUTSIDE_WINDOW);
        assertThat(graph.sent).hasSize(1);
        assertThat(graph.sent.getFirst().humanAgentTag()).isTrue();
    }

    @Test
    void aCustomerMessageStampedAheadOfLinegatesClockKeepsTheWindowOpen() {
        customerWroteAt(line, T0.plusSeconds(30));

        send(line, false);

        assertThat(graph.sent).hasSize(1);
    }

    @Test
    void theWindowFollowsTheClockAsItCloses() {
        customerWroteAt(line, T0);
        clock.set(T0.plus(Duration.ofHours(23)));
        send(line, false);

        clock.set(T0.plus(Duration.ofHours(25)));

        assertThat(refused(line, false).code()).isEqualTo(StatusCode.OUTSIDE_WINDOW);
        assertThat(graph.sent).hasSize(1);
    }

    @Test
    void conversationsKeepTheNewestTimeWhateverTheOrderOfRecording() {
        Conversations conversations = stores.conversations();
        long newest = T0.toEpochMilli();

        conversations.recordInbound(line, peer, newest - 1000);
        conversations.recordInbound(line, peer, newest);
        conversations.recordInbound(line, peer, newest - 30 * 3_600_000L);
        conversations.recordInbound(line, peer, newest);

        assertThat(conversations.lastInbound(line, peer)).contains(newest);
        assertThat(conversations.lastInbound(agentLine, peer)).as("another line").isEmpty();
        assertThat(conversations.lastInbound(line, peer + "0")).as("another peer").isEmpty();
    }

    @Test
    void aPrivateReplyToACommentWrittenSixDaysAgoIsSentAndEightDaysAgoIsRefusedWithoutMeta() {
        String recent = commentWrittenAt(T0);
        String old = commentWrittenAt(T0);

        clock.set(T0.plus(Duration.ofDays(6)));
        assertThat(sender.send(accountId, INSTAGRAM, privateReply(recent))).isInstanceOf(SendOutcome.Sent.class);
        clock.set(T0.plus(Duration.ofDays(8)));
        SendOutcome.Refused e = (SendOutcome.Refused) sender.send(accountId, INSTAGRAM, privateReply(old));

        assertThat(e.code()).isEqualTo(StatusCode.OUTSIDE_WINDOW);
        assertThat(e.detail()).contains(old, T0.toString(), "7 days");
        assertThat(stores.log().find(e.cdlsId().getAsLong()).orElseThrow().state()).isEqualTo(LogState.FAILED);
        assertThat(graph.sent).hasSize(1);
        assertThat(graph.sent.getFirst().recipient().comment()).isTrue();
        assertThat(graph.sent.getFirst().recipientId()).isEqualTo(recent);
    }

    @Test
    void thePrivateReplyWindowEndsExactlySevenDaysAfterTheComment() {
        String comment = commentWrittenAt(T0);

        clock.set(T0.plus(Duration.ofDays(7)).plusMillis(1));
        SendOutcome late = sender.send(accountId, INSTAGRAM, privateReply(comment));
        clock.set(T0.plus(Duration.ofDays(7)));
        SendOutcome inTime = sender.send(accountId, INSTAGRAM, privateReply(comment));

        assertThat(late).isInstanceOf(SendOutcome.Refused.class);
        assertThat(inTime).isInstanceOf(SendOutcome.Sent.class);
        assertThat(graph.sent).hasSize(1);
    }

    @Test
    void aPrivateReplyToACommentLinegateNeverHeardOfIsSentAndMetaDecides() {
        clock.set(T0.plus(Duration.ofDays(30)));

        assertThat(sender.send(accountId, INSTAGRAM, privateReply("17858893269" + peer.substring(11))))
                .isInstanceOf(SendOutcome.Sent.class);
        assertThat(graph.sent).hasSize(1);
    }

    /** A comment on {@link #line}'s post by the test's peer, as the comment webhook stores it; its fresh id. */
    private String commentWrittenAt(Instant at) {
        String commentId = "1786" + PEERS.incrementAndGet();
        assertThat(stores.comments().record(new linegate.store.ReceivedComment(accountId, line, LineClass.INSTAGRAM,
                commentId, peer, at.toEpochMilli(), "{}"), at.toEpochMilli())).isTrue();
        return commentId;
    }

    private SendRequest privateReply(String commentId) {
        return new SendRequest(line, commentId, Kind.TEXT, "Thanks! Sent you the details",
                new OutboundMessage.Text("Thanks! Sent you the details", List.of()), Optional.empty(), false, false,
                new SendRequest.SendOptions(Optional.empty(), true, false));
    }

    private void customerWroteAt(long lineId, Instant at) {
        stores.conversations().recordInbound(lineId, peer, at.toEpochMilli());
    }

    private SendOutcome send(long lineId, boolean humanAgent) {
        return sender.send(accountId, INSTAGRAM, request(lineId, humanAgent));
    }

    private SendOutcome.Refused refused(long lineId, boolean humanAgent) {
        SendOutcome outcome = sender.send(accountId, INSTAGRAM, request(lineId, humanAgent));
        assertThat(outcome).as("the send was refused").isInstanceOf(SendOutcome.Refused.class);
        return (SendOutcome.Refused) outcome;
    }

    private SendRequest request(long lineId, boolean humanAgent) {
        return new SendRequest(lineId, peer, Kind.TEXT, "Your order has shipped", Optional.empty(), humanAgent);
    }

    private long line(boolean humanAgent) {
        return stores.lines().create(new NewLine(accountId, LineClass.INSTAGRAM, Optional.of(new PageAccessToken(
                "EAAGm0PX4ZCpsBAtestPageAccessToken0123456789abcdefZDZD")),
                Optional.of(humanAgent ? "17841405793187219" : "17841405793187218"), Optional.empty(), true, humanAgent));
    }


    /** Meta's Send API that accepts everything and remembers what it was asked to send. */
    static final class RecordingGraph implements GraphClient {
        final List<OutboundMessage> sent = new ArrayList<>();

        @Override
        public synchronized GraphOutcome send(GraphEndpoint endpoint, String pageAccessToken, OutboundMessage message) {
            sent.add(message);
            return new GraphOutcome.Sent("m_" + sent.size(), message.recipientId(), MetaUsage.NONE);
        }
    }
}
