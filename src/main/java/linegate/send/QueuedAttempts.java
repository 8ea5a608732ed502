package linegate.send;

import linegate.api.ApiException;
import linegate.api.StatusCode;
import linegate.channel.Channel;
import linegate.channel.Channels;
import linegate.health.LineHealthTracker;
import linegate.media.MediaCheck;
import linegate.meta.GraphClient;
import linegate.meta.GraphOutcome;
import linegate.meta.OutboundMessage;
import linegate.pacing.LinePauses;
import linegate.send.SendOutcome.Refused;
import linegate.store.Comments;
import linegate.store.Conversations;
import linegate.store.Line;
import linegate.store.LogOutcome;
import linegate.store.LogRow;
import linegate.store.LoggedError;
import linegate.store.Lookups;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt of a queued send that a queue worker has claimed (docs/api.md, "Queued sends"): the checks that wait
 * until it is sent (the line still active and of its class, its token, the human-agent permission, the window, the
 * media check: 230, 233, 234, 500, 240, 244, 245), then Meta's call at the channel's endpoint, as
 * {@link MessageSender} makes it. It records nothing: the worker decides from the attempt whether the row is final
 * or goes back to the queue. The line's budget was taken, and a pause on Meta's usage waited out, before the claim; Meta's usage headers on the answer go to
 * {@link LinePauses} as a direct send's do.
 */
public final class QueuedAttempts {
    /**
     * What one attempt came to: Meta's answer when Meta was called, and the final state the row takes unless the
     * worker tries it again.
     */
    public record Attempt(Optional<GraphOutcome> graph, LogOutcome outcome) {
        public Attempt {
            Objects.requireNonNull(graph);
            Objects.requireNonNull(outcome);
        }
    }

    private final Lookups lookups;
    private final SendChecks checks;
    private final GraphClient graph;
    private final Channels channels;
    private final LineHealthTracker health;
    private final LinePauses pauses;
    private final Clock clock;

    public QueuedAttempts(Lookups lookups, Conversations conversations, Comments comments, GraphClient graph,
                          Channels channels, LineHealthTracker health, LinePauses pauses, MediaCheck media,
                          Clock clock) {
        this.lookups = lookups;
        this.checks = new SendChecks(conversations, comments, pauses, media);
        this.pauses = pauses;
        this.graph = graph;
        this.channels = channels;
        this.health = health;
        this.clock = clock;
    }

    /** Runs the row's checks and, when they pass, calls Meta; reads the database for the line and the window. */
    public Attempt attempt(LogRow row) {
        Optional<Channel> channel = channels.byLineClass(row.channel());
        Optional<Line> found = lookups.lineForAccount(row.accountId(), row.lineId())
                .filter(l -> l.active() && l.lineClass() == row.channel());
        if (found.isEmpty() || channel.isEmpty()) {
            String text = channel.map(c -> c.sendRules().lineNotFoundText()).orElse(StatusCode.LINE_NOT_FOUND.status());
            return refused(Refused.of(StatusCode.LINE_NOT_FOUND, "line " + row.lineId()
                    + " is no longer an active line of this account").withStatusText(text));
        }
        Line line = found.get();
        SendRequest request;
        try {
            request = LoggedSends.request(row, channel.get().sendRules());
        } catch (ApiException e) {
            // written after these checks passed; only a channel's limits narrowed since can fail them now
            return refused(Refused.of(e.code(), e.detail()));
        }
        Optional<Refused> refusal = checks.lineRefusal(line, request);
        long now = clock.millis();
        Optional<Long> lastInbound = Optional.empty();
        if (refusal.isEmpty()) {
            lastInbound = checks.lastInbound(line, request, now);
            Optional<Long> seen = lastInbound;
            refusal = checks.windowRefusal(line, request, seen, now).or(() -> checks.mediaRefusal(line, request));
        }
        if (refusal.isPresent()) {
            return refused(refusal.get());
        }
        OutboundMessage message = request.message(checks.humanAgentTag(line, request, lastInbound, now));
        GraphOutcome answer = graph.send(channel.get().graphEndpoint(line), line.pageToken().orElseThrow().reveal(),
                message);
        health.observe(line.id(), answer);
        pauses.observe(line.id(), answer);
        return new Attempt(Optional.of(answer), MetaAnswers.of(row.id(), line.id(), answer, clock.millis()).logged());
    }

    private Attempt refused(Refused r) {
        return new Attempt(Optional.empty(), new LogOutcome.Failed(
                LoggedError.local(r.code().code(), r.statusText(), r.detail()), clock.millis()));
    }
}
