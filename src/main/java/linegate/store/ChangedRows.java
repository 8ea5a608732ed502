package linegate.store;

import org.jdbi.v3.core.statement.Query;

import java.util.Comparator;
import java.util.List;

/**
 * Reads the rows a statement changed into {@link MessageChange}s. The statement ends in
 * {@code RETURNING id, account_id, line_id, peer_id}; the changes come in row order (SQLite returns them in any order).
 */
final class ChangedRows {
    private ChangedRows() {
    }

    static List<MessageChange> of(Query statement, MessageChange.Kind kind, long atMillis) {
        return statement.map((rs, ctx) -> new MessageChange(rs.getLong("id"), rs.getLong("account_id"),
                        rs.getLong("line_id"), StoredText.read(rs, "peer_id"), kind, atMillis))
                .list().stream()
                .sorted(Comparator.comparingLong(MessageChange::cdlsId))
                .toList();
    }
}
