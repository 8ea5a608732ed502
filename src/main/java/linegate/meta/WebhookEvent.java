package linegate.meta;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One event of a Meta webhook delivery, in Linegate's words. Every event names its {@link Target} (which line it is
 * for) and, where it has one, the peer (the customer's IGSID or PSID) and the event time in epoch milliseconds.
 */
public sealed interface WebhookEvent {
    Target target();

    /**
     * Whose line: the delivery's {@code object} ({@code instagram}, {@code page}) and the entry's {@code id} (the
     * Instagram account id or the Page id). Which channel, and so which line, that names is the channel registry's
     * business, not Meta's wire format.
     */
    record Target(String object, String entryId) {
        public Target {
            Objects.requireNonNull(object);
            Objects.requireNonNull(entryId);
        }
    }

    /**
     * Something the customer did that is logged as an inbound row and opens the 24-hour window: a message (text,
     * attachments, story reply, quick reply, reply), a reaction, a postback, a referral. {@code eventKey} identifies
     * the event, so a redelivery is recognised; {@code mid} is set for messages and postbacks that carry one.
     */
    record Inbound(Target target, String peerId, long timestamp, String mtype, String content, Optional<String> mid,
                   String eventKey, String json) implements WebhookEvent {
    }

    /** A message the business sent, echoed back: from Linegate, or typed in Meta's own apps. */
    record Echo(Target target, String peerId, long timestamp, String mid, String mtype, String content, String json)
            implements WebhookEvent {
    }

    /** The customer read (Instagram: saw the message {@code mid}; Messenger: everything up to {@code watermark}). */
    record Read(Target target, String peerId, long timestamp, Optional<String> mid, Optional<Long> watermark)
            implements WebhookEvent {
    }

    /** Messenger delivery receipts: these {@code mids}, and everything up to {@code watermark}. */
    record Delivery(Target target, String peerId, long timestamp, List<String> mids, Optional<Long> watermark)
            implements WebhookEvent {
    }

    /** The customer edited a message: its new text and how many times it has been edited. */
    record Edit(Target target, String peerId, long timestamp, String mid, String text, int editCount)
            implements WebhookEvent {
    }

    /** The customer deleted a message. */
    record Deletion(Target target, String peerId, long timestamp, String mid) implements WebhookEvent {
    }

    /**
     * A new comment on the line's post or reel (Instagram {@code comments}, or a Page {@code feed} change of
     * {@code item: comment} and {@code verb: add}), reported to the CRM so it can answer with a private reply.
     * {@code timestamp} is when it was written (a Page's {@code created_time}, else the entry's {@code time});
     * {@code json} is Meta's change object as it came, which {@link CommentDetails#of(String)} reads again.
     */
    record Comment(Target target, String commentId, String authorId, long timestamp, String json)
            implements WebhookEvent {
        public Comment {
            Objects.requireNonNull(commentId);
            Objects.requireNonNull(authorId);
            Objects.requireNonNull(json);
        }
    }

    /** An event of a kind Linegate does not act on; kept in the inbox and counted. */
    record Unknown(Target target, String kind) implements WebhookEvent {
    }
}
