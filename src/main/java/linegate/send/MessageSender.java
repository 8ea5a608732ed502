package linegate.send;

import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;
import linegate.meta.GraphClient;
import linegate.meta.OutboundMessage;
import linegate.meta.SendOutcome;
import linegate.store.Line;
import linegate.store.Lines;
import linegate.store.LogOutcome;
import linegate.store.LoggedError;
import linegate.store.MessageLogWriter;
import linegate.store.NewLogEntry;
import linegate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The send pipeline shared by every send endpoint: checks the request, resolves the caller's line, writes the log row,
 * calls Meta, records Meta's answer. Channel differences come in as {@link ChannelRules}.
 * <p>
 * A row is written for every request that resolves a line, before the Graph call; a refusal after that point (233,
 * 234, 260) is written as a failed row, so the client's error carries a {@code cdls_id} it can look up.
 */
public final class MessageSender {
    private static final Logger LOG = LoggerFactory.getLogger(MessageSender.class);

    private final Lines lines;
    private final MessageLogWriter log;
    private final GraphClient graph;
    private final LineRateLimiter limiter;
    private final Clock clock;

    public MessageSender(Lines lines, MessageLogWriter log, GraphClient graph, LineRateLimiter limiter, Clock clock) {
        this.lines = lines;
        this.log = log;
        this.graph = graph;
        this.limiter = limiter;
        this.clock = clock;
    }

    public SendResult send(long accountId, ChannelRules channel, Params params) {
        SendRequest request = SendRequestReader.read(params, channel);
        Line line = lines.findForAccount(accountId, request.lineId())
                .filter(l -> l.active() && l.lineClass() == channel.lineClass())
                .orElseThrow(() -> ApiException.of(StatusCode.LINE_NOT_FOUND, "no active " + channel.channelName()
                        + " line " + request.lineId() + " on this account").withStatusText(channel.lineNotFoundText()));

        Optional<ApiException> refusal = refusal(line, request);
        long cdlsId = log.append(new NewLogEntry(accountId, line.id(), line.lineClass(), request.dest(), request.mtype(),
                request.content(), request.msgId(), request.tag(),
                refusal.map(r -> LoggedError.local(r.code().code(), r.statusText(), r.detail())), clock.millis()));
        if (refusal.isPresent()) {
            throw refusal.get().withCdlsId(cdlsId);
        }

        OutboundMessage message = new OutboundMessage(request.dest(), request.kind(), request.content(), request.humanAgent());
        SendOutcome outcome = graph.send(line.pageToken().orElseThrow().reveal(), message);
        return switch (outcome) {
            case SendOutcome.Sent sent -> {
                finish(cdlsId, new LogOutcome.Sent(sent.messageId(), clock.millis()));
                yield new SendResult(sent.messageId(), cdlsId);
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
        };
    }

    /** The checks after the line resolved and before Meta is called, in the documented order (233, 234, 260). */
    private Optional<ApiException> refusal(Line line, SendRequest request) {
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
        OptionalLong wait = limiter.tryAcquire(line.id(), request.kind());
        if (wait.isPresent()) {
            return Optional.of(ApiException.of(StatusCode.RATE_LIMITED, "line " + line.id() + " is over its local send limit")
                    .withRetryAfter(wait.getAsLong()));
        }
        return Optional.empty();
    }

    /**
     * Records Meta's answer. If the database fails here the client still gets Meta's answer (Meta has acted; hiding
     * that would invite a duplicate send) and the row, left {@code accepted}, is later swept to {@code unknown}.
     */
    private void finish(long cdlsId, LogOutcome outcome) {
        try {
            log.finish(cdlsId, outcome);
        } catch (StoreUnavailableException e) {
            LOG.error("cdls_id={}: Meta's answer ({}) could not be recorded: {}; the row will be marked unknown",
                    cdlsId, outcome.getClass().getSimpleName(), e.getMessage());
        }
    }
}
