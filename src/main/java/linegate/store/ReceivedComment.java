package linegate.store;

import java.util.Objects;

/**
 * A new comment on a line's post, as {@link Comments#record} stores it and reports it to its {@link NoticeRecorder}.
 *
 * @param authorId    Meta's id of who wrote it (Instagram: the IGSID)
 * @param commentedAt when it was written (epoch ms, Meta's time)
 * @param detail      Meta's change object as it came, which the event reports
 */
public record ReceivedComment(long accountId, long lineId, LineClass lineClass, String commentId, String authorId,
                              long commentedAt, String detail) {
    public ReceivedComment {
        Objects.requireNonNull(lineClass);
        Objects.requireNonNull(commentId);
        Objects.requireNonNull(authorId);
        Objects.requireNonNull(detail);
        if (commentId.isEmpty()) {
            throw new IllegalArgumentException("a comment has an id");
        }
    }
}
