package linegate.send;

import linegate.api.ApiException;
import linegate.api.StatusCode;
import linegate.channel.Channel;
import linegate.channel.Channels;
import linegate.health.LineHealthTracker;
import linegate.media.MediaCheck;
import linegate.meta.GraphClient;
import linegate.meta.GraphOutcome;
import linegate.pacing.LinePauses;
import linegate.meta.OutboundMessage;
import linegate.send.SendOutcome.Refused;
import linegate.store.Comments;
import linegate.store.Conversations;
import linegate.store.Line;
import linegate.store.LogOutcome;
import linegate.store.LogRow;
import linegate.store.LoggedError;
import linegate.store.Lookups;
import linegate.store.MessageLog;
import linegate.store.MessageLogWriter;
import linegate.store.MsgIdInUseException;
import linegate.store.NewLogEntry;
import linegate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * The send pipeline shared by every channel: resolves the caller's line, runs the checks, writes the log row, calls
 * Meta at the channel's endpoint, records Meta's answer, and returns what became of the send as a {@link SendOutcome};
 * it throws for nothing a client or Meta does. The request arrives parsed and checked (210 to 231).
 * <p>
 * With {@code async} the row is written {@code queued} once the checks up to the msg_id have passed, and the
 * outcome is {@link SendOutcome.Queued}: a queue worker sends it later ({@link QueuedAttempts}).
 * <p>
 * A row is written for every request that resolves a line, before the Graph call; a refusal after that point (233,
 * 234, 240, 260, 244/245 from the media check, and 503 when nothing reached Meta) is written as a failed row, so the
 * outcome carries a {@code cdls_id} the client can look up. A repeated {@code msg_id} is answered from the earlier
 * attempt instead ({@link EarlierAttempts}), and writes no row.
 * <p>
 * Between claiming a row and calling Meta nothing reads the database, so a database failure there cannot leave a row
 * {@code accepted} that never went to Meta. An outcome the log cannot record when it happens is held and recorded
 * later ({@link UnrecordedOutcomes}). A success carries the conversation's window as the window check read it.
 * What Meta's answer shows of the line itself goes to {@link LineHealthTracker},
 * and its usage headers to {@link LinePauses}, after the outcome is recorded. A database that fails before the claim is a 503 with nothing written.
 */
public final class MessageSender {
    private static final Logger LOG = LoggerFactory.getLogger(MessageSender.class);

    private final Lookups lookups;
    private final MessageLogWriter log;
    private final MessageLog reads;
    private final GraphClient graph;
    private final SendChecks checks;
    private final LineRateLimiter limiter;
    private final EarlierAttempts earlier;
    private final UnrecordedOutcomes unrecorded;
    private final LineHealthTracker health;
    private final LinePauses pauses;
    private final long nodeId;
    private final Clock clock;
    private final SenderActions actions;

    public MessageSender(Lookups lookups, MessageLogWriter log, MessageLog reads, Conversations conversations,
                         Comments comments, GraphClient graph, LineRateLimiter limiter, UnrecordedOutcomes unrecorded,
                         LineHealthTracker health, LinePauses pauses, MediaCheck media, long nodeId, Clock clock) {
        this.lookups = lookups;
        this.log = log;
        this.reads = reads;
        this.graph = graph;
        this.checks = new SendChecks(conversations, comments, pauses, media);
        this.limiter = limiter;
        this.pauses = pauses;
        this.earlier = new EarlierAttempts(unrecorded);
        this.unrecorded = unrecorded;
        this.health = health;
        this.nodeId = nodeId;
        this.clock = clock;
        this.actions = new SenderActions(lookups, checks, limiter, graph, health, pauses, clock);
    }

    /**
     * A sender action ({@code typing_on}, {@code typing_off}, {@code mark_seen}) to {@code dest} on the caller's line
     * {@code lineId}, of whichever channel it is; returns when Meta took it, throws the refusal otherwise. Not logged.
     */
    public void senderAction(long accountId, Channels channels, long lineId, String dest, String action) {
        actions.perform(accountId, channels, lineId, dest, action);
    }

    public SendOutcome send(long accountId, Channel channel, SendRequest request) {
        try {
            return attempt(accountId, channel, request);
        } catch (StoreUnavailableException e) {
            LOG.warn("a send on line {} answered 503: {}", request.lineId(), e.getMessage());
            return Refused.of(StatusCode.SERVICE_UNAVAILABLE, ApiException.DATABASE_UNAVAILABLE);
        }
    }

    private SendOutcome attempt(long accountId, Channel channel, SendRequest request) {
        Optional<Line> found = lookups.lineForAccount(accountId, request.lineId())
                .filter(l -> l.active() && l.lineClass() == channel.lineClass());
        if (found.isEmpty()) {
            return Refused.of(StatusCode.LINE_NOT_FOUND, LineNotFound.detail(lookups, accountId, channel,
                    request.lineId())).withStatusText(channel.sendRules().lineNotFoundText());
        }
        Line line = found.get();
        Optional<Refused> refusal = checks.lineRefusal(line, request);
        if (refusal.isPresent()) {
            return refusal.get().withCdlsId(log.append(entry(accountId, line, request, refusal)).cdlsId());
        }
        String fingerprint = RequestFingerprint.of(line, request);
        if (request.async()) {
            return enqueue(accountId, line, request, fingerprint);
        }
        // read before the claim: if the database fails here, nothing has been written
        Optional<Long> lastInbound = checks.lastInbound(line, request, clock.millis());
        boolean tagged = checks.humanAgentTag(line, request, lastInbound, clock.millis());
        Optional<ConversationWindow> window = SendChecks.conversationWindow(line, request, lastInbound);
        Claim claim = claim(entry(accountId, line, request, Optional.empty(), tagged).claimed(fingerprint, nodeId));
        if (claim.earlier() != null) {
            return earlier.answer(claim.earlier(), fingerprint, false).withWindow(window);
        }
        long cdlsId = claim.cdlsId();
        Optional<Refused> limited = checks.sendRefusal(line, request, lastInbound, clock.millis(), limiter)
                .or(() -> checks.mediaRefusal(line, request));
        if (limited.isPresent()) {
            Refused r = limited.get().withCdlsId(cdlsId);
            finish(cdlsId, new LogOutcome.Failed(LoggedError.local(r.code().code(), r.statusText(), r.detail()),
                    clock.millis()));
            return r;
        }
        OutboundMessage message = request.message(tagged);
        GraphOutcome graphAnswer = graph.send(channel.graphEndpoint(line), line.pageToken().orElseThrow().reveal(), message);
        MetaAnswers.Answer answer = MetaAnswers.of(cdlsId, line.id(), graphAnswer, clock.millis());
        finish(cdlsId, answer.logged());
        health.observe(line.id(), graphAnswer);
        pauses.observe(line.id(), graphAnswer);
        return answer.outcome().withWindow(window);
    }

    /**
     * A queued send: the row is written {@code queued} (durable once this returns, through the same writer as every
     * row) and a queue worker sends it; the window (240) is checked then, and the line's budget paces it instead of
     * 260. A repeated msg_id is answered from the attempt that holds it, as for a direct send.
     */
    private SendOutcome enqueue(long accountId, Line line, SendRequest request, String fingerprint) {
        Claim claim = claim(entry(accountId, line, request, Optional.empty()).queuedFor(fingerprint));
        if (claim.earlier() != null) {
            SendOutcome answer = earlier.answer(claim.earlier(), fingerprint, true);
            if (!(answer instanceof SendOutcome.Duplicate)) {
                return answer;
            }
            // a repeat of a queued send that was sent answers its 200, with the window as a direct send's does
            return answer.withWindow(SendChecks.conversationWindow(line, request,
                    checks.lastInbound(line, request, clock.millis())));
        }
        return new SendOutcome.Queued(claim.cdlsId(), false);
    }

    private NewLogEntry entry(long accountId, Line line, SendRequest request, Optional<Refused> refusal) {
        return entry(accountId, line, request, refusal, request.humanAgent());
    }

    /** {@code tagged}: the row's tag is the one the send goes with (agent=human decides it from the window). */
    private NewLogEntry entry(long accountId, Line line, SendRequest request, Optional<Refused> refusal, boolean tagged) {
        return new NewLogEntry(accountId, line.id(), line.lineClass(), request.dest(), request.mtype(), request.content(),
                request.msgId(), tagged ? Optional.of(SendRequest.HUMAN_AGENT) : Optional.empty(),
                refusal.map(r -> LoggedError.local(r.code().code(), r.statusText(), r.detail())), clock.millis())
                .withOptions(LoggedSends.options(request));
    }

    /** Either the new row's id, or the live earlier attempt that holds the same msg_id. */
    private record Claim(long cdlsId, LogRow earlier) {
    }

    /**
     * Writes the accepted row. With a msg_id, the database's unique index decides, atomically across threads and
     * nodes, whether this is the first live attempt; if not, the earlier attempt answers. An earlier attempt can fail
     * between our refused insert and our look-up, so a vanished conflict means: try again.
     */
    private Claim claim(NewLogEntry entry) {
        for (int attempt = 1; ; attempt++) {
            try {
                return new Claim(log.append(entry).cdlsId(), null);
            } catch (MsgIdInUseException inUse) {
                Optional<LogRow> live = reads.findLiveAttempt(entry.accountId(), entry.msgId().orElseThrow());
                if (live.isPresent()) {
                    return new Claim(0, live.get());
                }
                if (attempt == 3) {
                    throw inUse;
                }
            }
        }
    }

    /**
     * Records the row's outcome. If the database fails here the client still gets the answer (Meta has acted, or the
     * refusal stands; hiding that would invite a duplicate send) and the outcome is held until the log can record it.
     */
    private void finish(long cdlsId, LogOutcome outcome) {
        try {
            log.finish(cdlsId, outcome);
        } catch (RuntimeException e) {
            boolean held = unrecorded.hold(cdlsId, outcome);
            LOG.error("cdls_id={}: the outcome ({}) could not be recorded: {}; {}", cdlsId,
                    outcome.getClass().getSimpleName(), e.getMessage(),
                    held ? "held, and recorded once the database is back" : "dropped");
        }
    }
}
