package linegate.store;

import java.util.Optional;

/**
 * Owner of {@code comments}: the comments Meta reported on each line's posts, kept so that each is reported once
 * (a redelivery changes nothing) and so that a private reply knows when its comment was written (Meta allows one
 * within 7 days of the comment: docs/api.md, "Private replies").
 */
public final class Comments {
    private final Database db;
    private final NoticeRecorder notices;

    /** {@code notices} is told of each new comment in the transaction that stores it. */
    public Comments(Database db, NoticeRecorder notices) {
        this.db = db;
        this.notices = notices;
    }

    /**
     * Stores the comment and, when it is new on its line, tells the recorder in the same transaction; true when it
     * was new. A comment already stored (Meta delivers at least once) is left as it is, and false.
     */
    public boolean record(ReceivedComment comment, long nowMillis) {
        return db.transaction(h -> {
            int inserted = h.createUpdate("""
                            INSERT INTO comments (line_id, comment_id, author_id, commented_at, received_at)
                            VALUES (:line, :comment, :author, :at, :now)
                            ON CONFLICT (line_id, comment_id) DO NOTHING""")
                    .bind("line", comment.lineId())
                    .bind("comment", comment.commentId())
                    .bind("author", comment.authorId())
                    .bind("at", comment.commentedAt())
                    .bind("now", nowMillis)
                    .execute();
            if (inserted == 0) {
                return false;
            }
            notices.commentReceived(new Transaction(h), comment);
            return true;
        });
    }

    /** When this comment on the line's posts was written (epoch ms); empty when Meta never reported it here. */
    public Optional<Long> commentedAt(long lineId, String commentId) {
        return db.call(h -> h.createQuery("""
                        SELECT commented_at FROM comments WHERE line_id = :line AND comment_id = :comment""")
                .bind("line", lineId)
                .bind("comment", commentId)
                .mapTo(Long.class)
                .findOne());
    }

    /**
     * Deletes comments stored before {@code receivedBefore}, at most {@code limit} (a bounded transaction: call again
     * while it returns {@code limit}). A private reply to a comment no longer kept is sent, and Meta decides.
     */
    public int prune(long receivedBefore, int limit) {
        return db.call(h -> h.createUpdate("""
                        DELETE FROM comments WHERE (line_id, comment_id) IN (
                            SELECT line_id, comment_id FROM comments WHERE received_at < :before
                            ORDER BY received_at LIMIT :limit)""")
                .bind("before", receivedBefore)
                .bind("limit", limit)
                .execute());
    }
}
