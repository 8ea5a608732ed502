package linegate.operators;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a list: its items, and the cursor of the next page (empty on the last). Cursors are keyset positions
 * (the last item's id), so a page costs the same however deep it is and rows written meanwhile never shift it.
 */
public record Page<T>(List<T> items, Optional<String> next) {
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next);
    }

    /** The page of {@code fetched} (asked for {@code limit + 1} rows: one more says that a next page exists). */
    static <T> Page<T> of(List<T> fetched, int limit, java.util.function.ToLongFunction<T> id) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, Optional.empty());
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(items, Optional.of(Cursor.encode(id.applyAsLong(items.getLast()))));
    }
}
