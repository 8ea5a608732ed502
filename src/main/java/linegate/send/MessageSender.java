package linegate.send;

import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;
import linegate.meta.GraphClient;
import linegate.meta.GraphError;
import linegate.meta.OutboundMessage;
import linegate.meta.SendOutcome;
import linegate.store.Conversations;
import linegate.store.Line;
import linegate.store.Lookups;
import linegate.store.LogOutcome;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.store.MessageLog;
import linegate.store.MsgIdInUseException;
import linegate.store.LoggedError;
import linegate.store.MessageLogWriter;
import linegate.store.NewLogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The send pipeline shared by every send endpoint: checks the request, resolves the caller's line, writes the log row,
 * calls Meta, records Meta's answer. Channel differences come in as {@link ChannelRules}.
 * <p>
 * A row is written for every request that resolves a line, before the Graph call; a refusal after that point (233,
 * 234, 240, 260, and 503 when nothing reached Meta) is written as a failed row, so the client's error carries a
 * {@code cdls_id} it can look up. A repeated {@code msg_id} is answered from the earlier attempt instead (contract:
 * Idempotency), and writes no row; reused for a different request it is refused (292).
 * <p>
 * Between claiming a row and calling Meta nothing reads the database, so a database failure there cannot leave a row
 * {@code accepted} that never went to Meta. An outcome the log cannot record when it happens is held and recorded
 * later ({@link UnrecordedOutcomes}).
 */
public final class MessageSender {
    private static final Logger LOG = LoggerFactory.getLogger(MessageSender.class);

    private final Lookups lookups;
    private final MessageLogWriter log;
    private final MessageLog reads;
    private final GraphClient graph;
    private final LineRateLimiter limiter;
    private final Conversations conversations;
    private final UnrecordedOutcomes unrecorded;
    private final long nodeId;
    /** Meta's standard messaging window, and the HUMAN_AGENT tag's (Send API reference, message tags). */
    static final Duration STANDARD_WINDOW = Duration.ofHours(24);
    static final Duration HUMAN_AGENT_WINDOW = Duration.ofDays(7);
    private final Clock clock;

    public MessageSender(Lookups lookups, MessageLogWriter log, MessageLog reads, Conversations conversations,
                         GraphClient graph, LineRateLimiter limiter, UnrecordedOutcomes unrecorded, long nodeId,
                         Clock clock) {
        this.conversations = conversations;
        this.unrecorded = unrecorded;
        this.nodeId = nodeId;
        this.lookups = lookups;
        this.log = log;
        this.reads = reads;
        this.graph = graph;
        this.limiter = limiter;
        this.clock = clock;
    }

    public SendResult send(long accountId, ChannelRules channel, Params params) {
        SendRequest request = SendRequestReader.read(params, channel);
        Line line = lookups.lineForAccount(accountId, request.lineId())
                .filter(l -> l.active() && l.lineClass() == channel.lineClass())
                .orElseThrow(() -> ApiException.of(StatusCode.LINE_NOT_FOUND, "no active " + channel.channelName()
                        + " line " + request.lineId() + " on this account").withStatusText(channel.lineNotFoundText()));

        Optional<ApiException> refusal = lineRefusal(line, request);
        if (refusal.isPresent()) {
            long cdlsId = log.append(entry(accountId, line, request, refusal)).cdlsId();
            throw refusal.get().withCdlsId(cdlsId);
        }
        String fingerprint = RequestFingerprint.of(line, request);
        // read before the claim: if the database fails here, nothing has been written
        Optional<Long> lastInbound = lastInbound(line, request);
        Claim claim = claim(entry(accountId, line, request, Optional.empty())
                .claimed(fingerprint, nodeId));
        if (claim.earlier() != null) {
            return earlierAttempt(claim.earlier(), fingerprint);
        }
        long cdlsId = claim.cdlsId();
        Optional<ApiException> limited = sendRefusal(line, request, lastInbound);
        if (limited.isPresent()) {
            ApiException e = limited.get().withCdlsId(cdlsId);
            finish(cdlsId, new LogOutcome.Failed(LoggedError.local(e.code().code(), e.statusText(), e.detail()), clock.millis()));
            throw e;
        }

        OutboundMessage message = new OutboundMessage(request.dest(), request.kind(), request.content(), request.humanAgent());
        SendOutcome outcome = graph.send(line.pageToken().orElseThrow().reveal(), message);
        return switch (outcome) {
            case SendOutcome.Sent sent -> {
                finish(cdlsId, new LogOutcome.Sent(sent.messageId(), clock.millis()));
                yield new SendResult(sent.messageId(), cdlsId, false);
            }
            case SendOutcome.Rejected rejected when rejected.error().mayHaveBeenDelivered() -> {
                GraphError error = rejected.error();
                LOG.warn("cdls_id={} line={}: Meta failed the send (code={} subcode={} http={} is_transient={}"
                        + " fbtrace_id={}); it may have been delivered: state unknown, not retried", cdlsId, line.id(),
                        error.code(), error.subcode(), error.httpStatus(), error.isTransient(), error.fbtraceId());
                finish(cdlsId, new LogOutcome.Unknown(MetaErrors.logged(StatusCode.META_UNREACHABLE, error), clock.millis()));
                throw ApiException.of(StatusCode.META_UNREACHABLE, "Meta answered with an error of its own, not a"
                                + " refusal; the message may have been delivered: check its state before sending again")
                        .withCdlsId(cdlsId).withMetaError(MetaErrors.view(error));
            }
            case SendOutcome.Rejected rejected -> {
                StatusCode status = MetaErrors.statusOf(rejected.error());
                finish(cdlsId, new LogOutcome.Failed(MetaErrors.logged(status, rejected.error()), clock.millis()));
                ApiException e = ApiException.of(status, null).withCdlsId(cdlsId).withMetaError(MetaErrors.view(rejected.error()));
                if (status == StatusCode.RATE_LIMITED) {
                    e = e.withRetryAfter(rejected.error().retryAfterSeconds().orElse(MetaErrors.DEFAULT_RETRY_AFTER_SECONDS));
                }
                throw e;
            }
            case SendOutcome.Unreachable unreachable -> {
                LOG.warn("cdls_id={} line={}: {}; state unknown, not retried", cdlsId, line.id(), unreachable.cause());
                finish(cdlsId, new LogOutcome.Unknown(LoggedError.local(StatusCode.META_UNREACHABLE.code(),
                        StatusCode.META_UNREACHABLE.status(), unreachable.cause()), clock.millis()));
                throw ApiException.of(StatusCode.META_UNREACHABLE,
                        "no answer from Meta; the message may have been delivered: check its state before sending again")
                        .withCdlsId(cdlsId);
            }
            case SendOutcome.NotSent notSent -> {
                // nothing reached Meta: the row fails, which frees its msg_id, and the same send may simply be retried
                LOG.warn("cdls_id={} line={}: not sent: {}", cdlsId, line.id(), notSent.cause());
                ApiException e = ApiException.of(StatusCode.SERVICE_UNAVAILABLE, notSentDetail(notSent))
                        .withCdlsId(cdlsId).withRetryAfter(notSent.retryAfterSeconds());
                finish(cdlsId, new LogOutcome.Failed(LoggedError.local(e.code().code(), e.statusText(), notSent.cause()),
                        clock.millis()));
                throw e;
            }
        };
    }

    /** Why nothing was sent, in the client's words; never the node's configuration or Meta's address. */
    private static String notSentDetail(SendOutcome.NotSent notSent) {
        return switch (notSent.reason()) {
            case NO_CONNECTION -> "Linegate could not connect to Meta; nothing was sent: retry, with the same msg_id if"
                    + " you gave one";
            case NO_SLOT -> "too many sends are waiting for Meta on this node; nothing was sent: retry, with the same"
                    + " msg_id if you gave one";
        };
    }

    private NewLogEntry entry(long accountId, Line line, SendRequest request, Optional<ApiException> refusal) {
        return new NewLogEntry(accountId, line.id(), line.lineClass(), request.dest(), request.mtype(), request.content(),
                request.msgId(), request.tag(),
                refusal.map(r -> LoggedError.local(r.code().code(), r.statusText(), r.detail())), clock.millis());
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
                Optional<LogRow> earlier = reads.findLiveAttempt(entry.accountId(), entry.msgId().orElseThrow());
                if (earlier.isPresent()) {
                    return new Claim(0, earlier.get());
                }
                if (attempt == 3) {
                    throw inUse;
                }
            }
        }
    }

    /**
     * The answer to a repeated msg_id: the original success (Meta is not called again), 291 while the first attempt
     * waits for Meta, or 280 when the first attempt's delivery is unknown (sending again could deliver it twice).
     */
    private SendResult earlierAttempt(LogRow earlier, String fingerprint) {
        if (earlier.requestHash().isPresent() && !earlier.requestHash().get().equals(fingerprint)) {
            throw ApiException.of(StatusCode.MSG_ID_REUSED, "this msg_id was first used for a different message (line,"
                    + " recipient, type, tag or content differ); nothing was sent: give a new message a new msg_id")
                    .withCdlsId(earlier.id());
        }
        if (earlier.state() == LogState.ACCEPTED
                && unrecorded.find(earlier.id()).orElse(null) instanceof LogOutcome.Sent held) {
            return new SendResult(held.metaMessageId(), earlier.id(), true); // Meta accepted it; the log is yet to say so
        }
        return switch (earlier.state()) {
            case SENT, DELIVERED, READ -> new SendResult(earlier.metaMessageId().orElseThrow(), earlier.id(), true);
            case ACCEPTED -> throw ApiException.of(StatusCode.DUPLICATE_IN_PROGRESS, "a send with this msg_id is waiting"
                    + " for Meta's answer; ask again shortly, or look it up with MessageStatus").withCdlsId(earlier.id());
            case UNKNOWN -> throw ApiException.of(StatusCode.META_UNREACHABLE, "the earlier send with this msg_id got no"
                    + " answer from Meta and may have been delivered; it is not sent again").withCdlsId(earlier.id());
            case FAILED -> throw new IllegalStateException("a failed attempt cannot hold a msg_id");
            case RECEIVED -> throw new IllegalStateException("an inbound row has no msg_id");
        };
    }

    /** The line's own refusals, before any msg_id is claimed (500 for an unreadable token, 233, 234). */
    private Optional<ApiException> lineRefusal(Line line, SendRequest request) {
        if (line.pageTokenUnreadable()) {
            return Optional.of(ApiException.of(StatusCode.INTERNAL_ERROR,
                    "the line's page access token cannot be decrypted with the configured master key"));
        }
        if (line.pageToken().isEmpty()) {
            return Optional.of(ApiException.of(StatusCode.NO_PAGE_ACCESS_TOKEN, "line " + line.id()
                    + " has no page access token: set one with 'linegate line update " + line.id() + " --page-token PAT'"));
        }
        if (request.humanAgent() && !line.humanAgent()) {
            return Optional.of(ApiException.of(StatusCode.HUMAN_AGENT_NOT_ENABLED, "line " + line.id()
                    + " is not enabled for the HUMAN_AGENT tag"));
        }
        return Optional.empty();
    }

    /**
     * When the customer last wrote, as far as the window check needs to know (read before the msg_id is claimed, so
     * that a database failure here leaves nothing written).
     */
    private Optional<Long> lastInbound(Line line, SendRequest request) {
        Duration window = request.humanAgent() ? HUMAN_AGENT_WINDOW : STANDARD_WINDOW;
        return conversations.lastInboundForWindow(line.id(), request.dest(), clock.millis() - window.toMillis());
    }

    /**
     * The checks after the msg_id is claimed and before Meta is called, without reading the database: 240 when the
     * customer's last message (known from webhooks) is older than the window, 24 hours or 7 days with HUMAN_AGENT; then
     * 260, the line's local limit. A peer Linegate never heard from is sent to, and Meta decides.
     */
    private Optional<ApiException> sendRefusal(Line line, SendRequest request, Optional<Long> lastInbound) {
        Duration window = request.humanAgent() ? HUMAN_AGENT_WINDOW : STANDARD_WINDOW;
        long now = clock.millis();
        if (lastInbound.isPresent() && now - lastInbound.get() > window.toMillis()) {
            return Optional.of(ApiException.of(StatusCode.OUTSIDE_WINDOW, "the customer last wrote at "
                    + Instant.ofEpochMilli(lastInbound.get()) + ", more than " + (request.humanAgent()
                    ? "7 days ago (the HUMAN_AGENT window)"
                    : "24 hours ago: wait for the customer to write" + (line.humanAgent()
                    ? ", or have a person reply with tag=HUMAN_AGENT within 7 days" : ""))));
        }
        OptionalLong wait = limiter.tryAcquire(line.id(), request.kind());
        if (wait.isPresent()) {
            return Optional.of(ApiException.of(StatusCode.RATE_LIMITED, "line " + line.id() + " is over its local send limit")
                    .withRetryAfter(wait.getAsLong()));
        }
        return Optional.empty();
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
