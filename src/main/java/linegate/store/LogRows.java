package linegate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Reads a {@code message_log} row ({@code SELECT *}) into a {@link LogRow}. */
final class LogRows {
    private LogRows() {
    }

    /** Text columns are read through {@link StoredText}: outside input may hold NUL, stored escaped. */
    static LogRow map(ResultSet rs) throws SQLException {
        Integer code = nullableInt(rs, "error_code");
        Optional<LoggedError> error = code == null ? Optional.empty() : Optional.of(new LoggedError(
                code,
                StoredText.read(rs, "error_status"),
                StoredText.read(rs, "error_detail"),
                nullableInt(rs, "meta_code"),
                nullableInt(rs, "meta_subcode"),
                StoredText.read(rs, "meta_type"),
                StoredText.read(rs, "meta_message"),
                StoredText.read(rs, "meta_fbtrace_id")));
        return new LogRow(
                rs.getLong("id"),
                rs.getLong("account_id"),
                rs.getLong("line_id"),
                LineClass.fromDb(StoredText.read(rs, "channel")),
                StoredText.read(rs, "direction"),
                StoredText.read(rs, "origin"),
                StoredText.read(rs, "peer_id"),
                StoredText.read(rs, "mtype"),
                StoredText.read(rs, "mdata"),
                Optional.ofNullable(StoredText.read(rs, "msg_id")),
                Optional.ofNullable(StoredText.read(rs, "tag")),
                Optional.ofNullable(StoredText.read(rs, "meta_message_id")),
                LogState.fromDb(StoredText.read(rs, "state")),
                error,
                rs.getLong("created_at"),
                rs.getLong("updated_at"),
                nullableLong(rs, "sent_at"),
                nullableLong(rs, "delivered_at"),
                nullableLong(rs, "read_at"),
                nullableLong(rs, "deleted_at"),
                Optional.ofNullable(rs.getString("request_hash")),
                Optional.ofNullable(StoredText.read(rs, "event_json")),
                Optional.ofNullable(nullableInt(rs, "attempts")),
                nullableLong(rs, "next_attempt_at"),
                Optional.ofNullable(StoredText.read(rs, "retry_reason")),
                Optional.ofNullable(StoredText.read(rs, "options")));
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Optional<Long> nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
