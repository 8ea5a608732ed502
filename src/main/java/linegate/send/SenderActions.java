package linegate.send;

import linegate.api.ApiException;
import linegate.api.StatusCode;
import linegate.channel.Channel;
import linegate.channel.Channels;
import linegate.health.LineHealthTracker;
import linegate.meta.GraphClient;
import linegate.meta.GraphError;
import linegate.meta.GraphOutcome;
import linegate.meta.OutboundMessage;
import linegate.pacing.LinePauses;
import linegate.send.SendOutcome.Refused;
import linegate.store.Line;
import linegate.store.Lookups;
import linegate.store.StoreUnavailableException;

import java.time.Clock;
import java.util.Optional;

/**
 * {@code POST /api/v2/SenderAction.php} (contract §11): typing on, typing off or seen, sent to a customer on any line
 * of the caller's, with the line's checks a send has (230, 233, 500 for an unreadable token), the standard window
 * (240: Meta shows sender actions only in an open conversation), a pause on Meta's usage and the line's budget (260),
 * then Meta's call, classified as a send's answer is. Nothing is logged: a sender action is not a message. A refusal
 * is thrown as the {@link ApiException} the client gets.
 */
final class SenderActions {
    private final Lookups lookups;
    private final SendChecks checks;
    private final LineRateLimiter limiter;
    private final GraphClient graph;
    private final LineHealthTracker health;
    private final LinePauses pauses;
    private final Clock clock;

    SenderActions(Lookups lookups, SendChecks checks, LineRateLimiter limiter, GraphClient graph,
                  LineHealthTracker health, LinePauses pauses, Clock clock) {
        this.lookups = lookups;
        this.checks = checks;
        this.limiter = limiter;
        this.graph = graph;
        this.health = health;
        this.pauses = pauses;
        this.clock = clock;
    }

    void perform(long accountId, Channels channels, long lineId, String dest, String action) {
        try {
            attempt(accountId, channels, lineId, dest, action);
        } catch (StoreUnavailableException e) {
            throw ApiException.databaseUnavailable();
        }
    }

    private void attempt(long accountId, Channels channels, long lineId, String dest, String action) {
        Optional<Line> found = lookups.lineForAccount(accountId, lineId).filter(Line::active);
        Optional<Channel> channel = found.flatMap(l -> channels.byLineClass(l.lineClass()));
        if (found.isEmpty() || channel.isEmpty()) {
            throw ApiException.of(StatusCode.LINE_NOT_FOUND, "no active line " + lineId + " on this account")
                    .withStatusText("Line not found");
        }
        Line line = found.get();
        // the request the checks know: text, the sender action's budget (Meta: with text, links and reactions)
        SendRequest probe = new SendRequest(lineId, dest, OutboundMessage.Kind.TEXT, "", Optional.empty(), false);
        Optional<Refused> refusal = checks.lineRefusal(line, probe);
        if (refusal.isEmpty()) {
            long now = clock.millis();
            refusal = checks.sendRefusal(line, probe, checks.lastInbound(line, probe, now), now, limiter);
        }
        if (refusal.isPresent()) {
            Refused r = refusal.get();
            ApiException e = ApiException.of(r.code(), r.detail()).withStatusText(r.statusText());
            throw r.retryAfterSeconds().isPresent() ? e.withRetryAfter(r.retryAfterSeconds().getAsLong()) : e;
        }
        GraphOutcome answer = graph.send(channel.get().graphEndpoint(line), line.pageToken().orElseThrow().reveal(),
                new OutboundMessage(OutboundMessage.Recipient.user(dest), new OutboundMessage.Action(action),
                        Optional.empty(), false));
        health.observe(line.id(), answer);
        pauses.observe(line.id(), answer);
        switch (answer) {
            case GraphOutcome.Sent sent -> {
            }
            case GraphOutcome.Rejected rejected when rejected.error().mayHaveBeenDelivered() ->
                    throw ApiException.of(StatusCode.META_UNREACHABLE, "Meta answered with an error after which the"
                            + " action may have been shown").withMetaError(MetaErrors.view(rejected.error()));
            case GraphOutcome.Rejected rejected -> {
                GraphError error = rejected.error();
                StatusCode status = MetaErrors.statusOf(error);
                ApiException e = ApiException.of(status, null).withMetaError(MetaErrors.view(error));
                throw status == StatusCode.RATE_LIMITED
                        ? e.withRetryAfter(error.retryAfterSeconds().orElse(MetaErrors.DEFAULT_RETRY_AFTER_SECONDS)) : e;
            }
            case GraphOutcome.Unreachable u -> throw ApiException.of(StatusCode.META_UNREACHABLE, "no answer from Meta");
            case GraphOutcome.NotSent n -> throw ApiException.of(StatusCode.SERVICE_UNAVAILABLE,
                    "Linegate could not reach Meta; nothing was sent: retry").withRetryAfter(n.retryAfterSeconds());
        }
    }
}
