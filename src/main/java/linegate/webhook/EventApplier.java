package linegate.webhook;

import linegate.channel.Channels;
import linegate.meta.WebhookEvent;
import linegate.store.Conversations;
import linegate.store.InboundEntry;
import linegate.store.Line;
import linegate.store.Lines;
import linegate.store.MessageEvents;

import java.time.Clock;
import java.util.Optional;

/**
 * Applies one webhook event to the line it is for (the one active line holding the entry's Instagram account id or
 * Page id; an inactive line's events are nobody's): inbound rows and the conversation's window, echoes, delivery and
 * read states, edits and deletions. Every step is idempotent, so applying an event twice changes nothing.
 */
final class EventApplier {
    /** What became of an event, for the {@code linegate_webhook_events_total} counter. */
    enum Result { APPLIED, DUPLICATE, NO_LINE, UNKNOWN_KIND }

    private final Channels channels;
    private final Lines lines;
    private final MessageEvents events;
    private final Conversations conversations;
    private final Clock clock;

    EventApplier(Channels channels, Lines lines, MessageEvents events, Conversations conversations, Clock clock) {
        this.channels = channels;
        this.lines = lines;
        this.events = events;
        this.conversations = conversations;
        this.clock = clock;
    }

    Result apply(WebhookEvent event) {
        if (event instanceof WebhookEvent.Unknown) {
            return Result.UNKNOWN_KIND;
        }
        Optional<Line> target = channels.byWebhookObject(event.target().object()).stream()
                .map(channel -> channel.lineForWebhookEntry(lines, event.target().entryId()))
                .flatMap(Optional::stream)
                .findFirst();
        if (target.isEmpty()) {
            return Result.NO_LINE;
        }
        return apply(target.get(), event) ? Result.APPLIED : Result.DUPLICATE;
    }

    private boolean apply(Line line, WebhookEvent event) {
        long now = clock.millis();
        return switch (event) {
            case WebhookEvent.Inbound in -> {
                // the window opens whether or not the row is new: recording the time again is harmless
                conversations.recordInbound(line.id(), in.peerId(), in.timestamp());
                yield events.insert(new InboundEntry(line.accountId(), line.id(), line.lineClass(), false, in.peerId(),
                        in.mtype(), in.content(), in.mid(), in.eventKey(), in.json(), in.timestamp()), now);
            }
            case WebhookEvent.Echo echo -> {
                if (events.confirmEcho(line.id(), echo.peerId(), echo.mid(), echo.mtype(), echo.content(),
                        echo.timestamp(), now)) {
                    yield false;
                }
                yield events.insert(new InboundEntry(line.accountId(), line.id(), line.lineClass(), true, echo.peerId(),
                        echo.mtype(), echo.content(), Optional.of(echo.mid()), "echo:" + echo.mid(), echo.json(),
                        echo.timestamp()), now);
            }
            case WebhookEvent.Read read -> {
                int n = 0;
                if (read.mid().isPresent()) {
                    n += events.markReadThrough(line.id(), read.peerId(), read.mid().get(), read.timestamp(), now);
                }
                if (read.watermark().isPresent()) {
                    n += events.markReadUpTo(line.id(), read.peerId(), read.watermark().get(), read.timestamp(), now);
                }
                yield n > 0;
            }
            case WebhookEvent.Delivery d -> {
                int n = events.markDelivered(line.id(), d.mids(), d.timestamp(), now);
                if (d.watermark().isPresent()) {
                    n += events.markDeliveredUpTo(line.id(), d.peerId(), d.watermark().get(), now);
                }
                yield n > 0;
            }
            case WebhookEvent.Edit edit -> events.applyEdit(line.id(), edit.mid(), edit.text(), edit.editCount(), now) > 0;
            case WebhookEvent.Deletion del -> events.markDeleted(line.id(), del.mid(), del.timestamp(), now) > 0;
            case WebhookEvent.Unknown u -> false;
        };
    }
}
