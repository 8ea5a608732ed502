package linegate.webhook;

import linegate.store.Comments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Keeps {@code comments} from growing without bound: a comment is kept {@link #KEPT} after it arrived, well past
 * Meta's 7-day private-reply window, so a late reply to it is still refused (240) without a call to Meta; a reply to
 * one no longer kept is sent, and Meta refuses it. Deleted in bounded transactions, as the event retention does.
 */
public final class CommentRetention implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CommentRetention.class);
    public static final Duration KEPT = Duration.ofDays(30);
    /** How often the task runs. */
    public static final Duration EVERY = Duration.ofHours(1);
    static final int CHUNK = 5_000;

    private final Comments comments;
    private final Clock clock;

    public CommentRetention(Comments comments, Clock clock) {
        this.comments = comments;
        this.clock = clock;
    }

    /** Runs on the maintenance scheduler: a failure is logged and the next run tries again. */
    @Override
    public void run() {
        try {
            prune();
        } catch (RuntimeException e) {
            LOG.warn("comment retention could not prune ({}); the next run in {} tries again", e.getMessage(), EVERY);
        }
    }

    /** Deletes the comments that arrived more than {@link #KEPT} ago; how many. */
    public long prune() {
        long cutoff = clock.millis() - KEPT.toMillis();
        long deleted = 0;
        for (int n = CHUNK; n == CHUNK; ) {
            n = comments.prune(cutoff, CHUNK);
            deleted += n;
        }
        return deleted;
    }
}
