package linegate.send;

import linegate.api.StatusCode;
import linegate.media.MediaCheck;
import linegate.media.MediaVerdict;
import linegate.meta.OutboundMessage;
import linegate.pacing.LinePauses;
import linegate.send.SendOutcome.Refused;
import linegate.store.Comments;
import linegate.store.Conversations;
import linegate.store.Line;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The send's checks against its line and conversation, in the documented order (docs/status-codes.md, "The order of
 * the checks"): the line's own refusals before a msg_id is claimed (500 for an unreadable token, 233, 234), then after
 * the claim the window (240), a pause on Meta's usage (260, contract §10), and the line's budget (260), then last,
 * just before Meta, the media check (244, 245). The window's input is read before the claim, so that a database
 * failure there leaves nothing written.
 */
final class SendChecks {
    /** Meta's standard messaging window, and the HUMAN_AGENT tag's (docs/meta-facts.md, "Messaging windows"). */
    static final Duration STANDARD_WINDOW = Conversations.STANDARD_WINDOW;
    static final Duration HUMAN_AGENT_WINDOW = Duration.ofDays(7);
    /**
     * A private reply's window: "within 7 days of the creation time of the comment" (docs/meta-facts.md, "Private
     * reply"; https://developers.facebook.com/docs/instagram-platform/private-replies).
     */
    static final Duration COMMENT_WINDOW = Duration.ofDays(7);

    private final Conversations conversations;
    private final Comments comments;
    private final LinePauses pauses;
    private final MediaCheck media;

    SendChecks(Conversations conversations, Comments comments, LinePauses pauses, MediaCheck media) {
        this.conversations = conversations;
        this.comments = comments;
        this.pauses = pauses;
        this.media = media;
    }

    Optional<Refused> lineRefusal(Line line, SendRequest request) {
        if (line.pageTokenUnreadable()) {
            return Optional.of(Refused.of(StatusCode.INTERNAL_ERROR,
                    "the line's page access token cannot be decrypted with the configured master key"));
        }
        if (line.pageToken().isEmpty()) {
            return Optional.of(Refused.of(StatusCode.NO_PAGE_ACCESS_TOKEN, "line " + line.id()
                    + " has no page access token: set one with 'linegate line update " + line.id() + " --page-token PAT'"));
        }
        if (request.humanAgent() && !line.humanAgent()) {
            return Optional.of(Refused.of(StatusCode.HUMAN_AGENT_NOT_ENABLED, "line " + line.id()
                    + " is not enabled for the HUMAN_AGENT tag"));
        }
        return Optional.empty();
    }

    /**
     * When the customer last wrote, as far as the window check needs to know; reads the database. For a private
     * reply, when its comment was written, from the line's comment webhooks: its window is the comment's 7 days. A
     * comment Linegate was never told of (older than Linegate's webhooks, or no longer kept) is sent, and Meta
     * decides, as for a customer never heard from (docs/api.md, "Private replies").
     */
    Optional<Long> lastInbound(Line line, SendRequest request, long nowMillis) {
        if (request.options().toComment()) {
            return comments.commentedAt(line.id(), request.dest());
        }
        return conversations.lastInboundForWindow(line.id(), request.dest(), nowMillis - window(request).toMillis());
    }

    /**
     * Whether the send goes with the HUMAN_AGENT tag: when the client gave it; for {@code agent=human}, only where
     * the standard window does not cover it, on a line with the human-agent permission (a time beyond 7 days, or
     * beyond 24 hours without the permission, was refused by {@link #windowRefusal}). A customer Linegate never
     * heard from may have written more than 24 hours ago, so a person's reply is tagged there too when the line may
     * tag it: the tag is true of it, and Meta accepts it inside the window as well.
     */
    boolean humanAgentTag(Line line, SendRequest request, Optional<Long> lastInbound, long nowMillis) {
        if (request.humanAgent()) {
            return true;
        }
        if (!request.options().humanAuthor() || request.options().toComment() || !line.humanAgent()) {
            return false;
        }
        return lastInbound.isEmpty() || nowMillis - lastInbound.get() > STANDARD_WINDOW.toMillis();
    }

    /**
     * 240 when the customer's last message (known from webhooks) is older than the window, 24 hours or 7 days with
     * HUMAN_AGENT; then 260 while the line (or the app) is paused on Meta's usage, without taking from its budget; then
     * 260, the line's budget. Reads no database. A peer Linegate never heard from is sent to, and Meta decides.
     */
    Optional<Refused> sendRefusal(Line line, SendRequest request, Optional<Long> lastInbound, long nowMillis,
                                  LineRateLimiter limiter) {
        Optional<Refused> window = windowRefusal(line, request, lastInbound, nowMillis);
        if (window.isPresent()) {
            return window;
        }
        Optional<LinePauses.Active> paused = pauses.pausedFor(line.id());
        if (paused.isPresent()) {
            return Optional.of(Refused.of(StatusCode.RATE_LIMITED, "line " + line.id() + " is paused until "
                    + paused.get().until() + ": " + paused.get().reason() + "; nothing was sent to Meta")
                    .withRetryAfter(paused.get().secondsLeft()));
        }
        OptionalLong wait = limiter.tryAcquire(line, request.kind());
        if (wait.isPresent()) {
            return Optional.of(Refused.of(StatusCode.RATE_LIMITED, "line " + line.id() + " is over its send budget ("
                    + line.sendsPerSecond().stream().mapToObj(r -> r + "/s, its own").findFirst()
                            .orElse("LINEGATE_LINE_SENDS_PER_SECOND") + ", shared by the live nodes)")
                    .withRetryAfter(wait.getAsLong()));
        }
        return Optional.empty();
    }

    /**
     * 240 alone: a queued send's window is checked when a worker sends it, and it waits for budget instead of 260. A
     * private reply's {@code lastInbound} is its comment's time, and its window the comment's 7 days, whatever the
     * tag or author.
     */
    Optional<Refused> windowRefusal(Line line, SendRequest request, Optional<Long> lastInbound, long nowMillis) {
        if (request.options().toComment()) {
            if (lastInbound.isPresent() && nowMillis - lastInbound.get() > COMMENT_WINDOW.toMillis()) {
                return Optional.of(Refused.of(StatusCode.OUTSIDE_WINDOW, "comment " + request.dest()
                        + " was written at " + Instant.ofEpochMilli(lastInbound.get()) + ", more than 7 days ago:"
                        + " Meta allows a private reply only within 7 days of the comment; nothing was sent to Meta"));
            }
            return Optional.empty();
        }
        if (request.options().humanAuthor() && !request.humanAgent() && lastInbound.isPresent()) {
            long age = nowMillis - lastInbound.get();
            if (age > HUMAN_AGENT_WINDOW.toMillis() || (age > STANDARD_WINDOW.toMillis() && !line.humanAgent())) {
                return Optional.of(Refused.of(StatusCode.OUTSIDE_WINDOW, "the customer last wrote at "
                        + Instant.ofEpochMilli(lastInbound.get()) + (age > HUMAN_AGENT_WINDOW.toMillis()
                        ? ", more than 7 days ago (the HUMAN_AGENT window): wait for the customer to write"
                        : ", more than 24 hours ago, and line " + line.id() + " is not enabled for the HUMAN_AGENT tag"
                        + " (linegate line update " + line.id() + " --human-agent true, once Meta granted it)")));
            }
            return Optional.empty();
        }
        if (lastInbound.isPresent() && nowMillis - lastInbound.get() > window(request).toMillis()) {
            return Optional.of(Refused.of(StatusCode.OUTSIDE_WINDOW, "the customer last wrote at "
                    + Instant.ofEpochMilli(lastInbound.get()) + ", more than " + (request.humanAgent()
                    ? "7 days ago (the HUMAN_AGENT window)"
                    : "24 hours ago: wait for the customer to write" + (line.humanAgent()
                    ? ", or have a person reply with tag=HUMAN_AGENT within 7 days" : ""))));
        }
        return Optional.empty();
    }

    /**
     * 244 or 245 when a URL the send asks Meta to fetch does not answer with what Meta takes (linegate.media); nothing
     * for text. Reads no database; each URL's check is time-bounded (LINEGATE_MEDIA_CHECK_TIMEOUT_MS). Last before
     * Meta, because it is the one check that may wait on the network.
     */
    Optional<Refused> mediaRefusal(Line line, SendRequest request) {
        for (URI url : mediaUrls(request)) {
            switch (media.check(url, request.kind(), line.lineClass())) {
                case MediaVerdict.Accepted accepted -> {
                }
                case MediaVerdict.NotReachable n -> {
                    return Optional.of(Refused.of(StatusCode.MEDIA_NOT_REACHABLE, n.detail()));
                }
                case MediaVerdict.NotAccepted n -> {
                    return Optional.of(Refused.of(StatusCode.MEDIA_NOT_ACCEPTED, n.detail()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The URLs Meta would fetch for this send as its attachment: one media kind's URL, or every URL of several images,
     * already checked as URLs (227). Text, reactions and templates have none: a template's {@code image_url} is
     * not an attachment, and the media rules (linegate.media) are Meta's attachment rules.
     */
    private static List<URI> mediaUrls(SendRequest request) {
        List<String> urls = switch (request.body()) {
            case OutboundMessage.Media m -> List.of(m.url());
            case OutboundMessage.Images i -> i.urls();
            case OutboundMessage.Text t -> List.of();
            case OutboundMessage.Generic g -> List.of();
            case OutboundMessage.Reaction r -> List.of();
            case OutboundMessage.Action a -> List.of();
        };
        List<URI> uris = new ArrayList<>(urls.size());
        for (String url : urls) {
            try {
                uris.add(new URI(url));
            } catch (URISyntaxException e) {
                // 227 took it as a URL; a form java.net.URI refuses is left to Meta rather than refused here
            }
        }
        return uris;
    }

    /**
     * The conversation's window for a send's answer, from the time its window check read; none for a private reply
     * (its time is the comment's, and the comment's author has no conversation with the line yet).
     */
    static Optional<ConversationWindow> conversationWindow(Line line, SendRequest request, Optional<Long> lastInbound) {
        return request.options().toComment() ? Optional.empty()
                : lastInbound.map(at -> ConversationWindow.of(at, line.humanAgent()));
    }

    private static Duration window(SendRequest request) {
        return request.humanAgent() || request.options().humanAuthor() ? HUMAN_AGENT_WINDOW : STANDARD_WINDOW;
    }
}
