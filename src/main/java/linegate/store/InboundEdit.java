package linegate.store;

import java.util.Objects;

/** A customer's edit of the message {@code mid} on the line: its new text and Meta's count of edits so far. */
public record InboundEdit(long lineId, String mid, String text, int editCount, long atMillis) {
    public InboundEdit {
        Objects.requireNonNull(mid);
        Objects.requireNonNull(text);
    }
}
