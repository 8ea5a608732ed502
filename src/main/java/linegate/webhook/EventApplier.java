package linegate.webhook;

import linegate.channel.Channels;
import linegate.meta.WebhookEvent;
import linegate.store.Comments;
import linegate.store.Conversations;
import linegate.store.InboundEdit;
import linegate.store.InboundEntry;
import linegate.store.Line;
import linegate.store.Lines;
import linegate.store.MessageChange;
import linegate.store.MessageLog;
import linegate.store.ReceivedComment;
import linegate.store.Receipt;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies one webhook event to the line it is for (the one active line holding the entry's Instagram account id or
 * Page id; an inactive line's events are nobody's): inbound rows and the conversation's window, echoes, delivery and
 * read states, edits and deletions, and new comments on the line's posts (each one comment.received event; a comment
 * the line's own account wrote is none: the business does not private-reply to itself). Every step is idempotent,
 * so applying an event twice changes nothing.
 */
final class EventApplier {
    /** What became of an event, for the {@code linegate_webhook_events_total} counter. */
    enum Result { APPLIED, DUPLICATE, NO_LINE, UNKNOWN_KIND, OWN_COMMENT }

    /**
     * What applying an event did: the counter's result and the message-log changes it made. An echo of Linegate's own
     * send counts as a duplicate (it is no new message) even when it proves that an unanswered send was sent.
     */
    record Applied(Result result, List<MessageChange> changes) {
        Applied {
            Objects.requireNonNull(result);
            changes = List.copyOf(changes);
        }

        static Applied nothing(Result result) {
            return new Applied(result, List.of());
        }
    }

    private final Channels channels;
    private final Lines lines;
    private final MessageLog log;
    private final Conversations conversations;
    private final Comments comments;
    private final Clock clock;

    EventApplier(Channels channels, Lines lines, MessageLog log, Conversations conversations, Comments comments,
                 Clock clock) {
        this.channels = channels;
        this.lines = lines;
        this.log = log;
        this.conversations = conversations;
        this.comments = comments;
        this.clock = clock;
    }

    Applied apply(WebhookEvent event) {
        if (event instanceof WebhookEvent.Unknown) {
            return Applied.nothing(Result.UNKNOWN_KIND);
        }
        Optional<Line> target = channels.byWebhookObject(event.target().object()).stream()
                .map(channel -> channel.lineForWebhookEntry(lines, event.target().entryId()))
                .flatMap(Optional::stream)
                .findFirst();
        if (target.isEmpty()) {
            return Applied.nothing(Result.NO_LINE);
        }
        if (event instanceof WebhookEvent.Comment comment) {
            return apply(target.get(), comment);
        }
        List<MessageChange> changes = apply(target.get(), event);
        boolean applied = event instanceof WebhookEvent.Echo
                ? changes.stream().anyMatch(c -> c.kind() == MessageChange.Kind.ECHO)
                : !changes.isEmpty();
        return new Applied(applied ? Result.APPLIED : Result.DUPLICATE, changes);
    }

    /**
     * A comment by anyone but the line's own account (its Instagram account or Page: the entry's id, or the ids the
     * line holds) is stored and becomes one event; a redelivered one is a duplicate.
     */
    private Applied apply(Line line, WebhookEvent.Comment comment) {
        String author = comment.authorId();
        if (author.equals(comment.target().entryId()) || line.igAccountId().filter(author::equals).isPresent()
                || line.pageId().filter(author::equals).isPresent()) {
            return Applied.nothing(Result.OWN_COMMENT);
        }
        boolean isNew = comments.record(new ReceivedComment(line.accountId(), line.id(), line.lineClass(),
                comment.commentId(), author, comment.timestamp(), comment.json()), clock.millis());
        return Applied.nothing(isNew ? Result.APPLIED : Result.DUPLICATE);
    }

    private List<MessageChange> apply(Line line, WebhookEvent event) {
        long now = clock.millis();
        return switch (event) {
            case WebhookEvent.Inbound in -> {
                // the window opens whether or not the row is new: recording the time again is harmless
                conversations.recordInbound(line.id(), in.peerId(), in.timestamp());
                yield log.logInbound(new InboundEntry(line.accountId(), line.id(), line.lineClass(), false, in.peerId(),
                        in.mtype(), in.content(), in.mid(), in.eventKey(), in.json(), in.timestamp()), now);
            }
            case WebhookEvent.Echo echo -> log.logInbound(new InboundEntry(line.accountId(), line.id(), line.lineClass(),
                    true, echo.peerId(), echo.mtype(), echo.content(), Optional.of(echo.mid()), "echo:" + echo.mid(),
                    echo.json(), echo.timestamp()), now);
            case WebhookEvent.Read read -> log.markRead(new Receipt(line.id(), read.peerId(), read.mid().stream().toList(),
                    read.watermark(), read.timestamp()), now);
            case WebhookEvent.Delivery d -> log.markDelivered(new Receipt(line.id(), d.peerId(), d.mids(), d.watermark(),
                    d.timestamp()), now);
            case WebhookEvent.Edit edit -> log.applyEdit(new InboundEdit(line.id(), edit.mid(), edit.text(),
                    edit.editCount(), edit.timestamp()), now);
            case WebhookEvent.Deletion del -> log.markDeleted(line.id(), del.mid(), del.timestamp(), now);
            case WebhookEvent.Comment c -> List.of(); // applied above: no message_log change
            case WebhookEvent.Unknown u -> List.of();
        };
    }
}
