package linegate.store;

import org.jdbi.v3.core.Handle;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An open database transaction, handed out by the store so that code outside it can ask other store methods to write
 * in the same transaction (see {@link ChangeRecorder}) without seeing Jdbi. Valid only during the call it is given to.
 * <p>
 * The hot statements (a group-commit batch's inserts and updates, the outbox's) run as plain JDBC on
 * {@link #prepared}: each is prepared once per transaction and reused by every write in it, since preparing costs
 * about as much as running (sqlite-jdbc compiles the SQL on every prepare; Jdbi adds its own per-statement work).
 */
public final class Transaction {
    private final Handle handle;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    Transaction(Handle handle) {
        this.handle = Objects.requireNonNull(handle);
    }

    /**
     * The transaction's handle, for the table owners in store's sub-packages ({@code store.events}) to write in it;
     * nothing outside {@code store} may import Jdbi (ArchitectureTest).
     */
    public Handle handle() {
        return handle;
    }

    /**
     * {@code sql} prepared on this transaction's connection, the same statement for every call with the same text;
     * closed when the transaction ends. Strings bound to it must go through {@link StoredText#encode}, and a failure
     * should be thrown as {@link Database#failed}, so that unavailability is told apart as with Jdbi.
     */
    public PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = handle.getConnection().prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    /**
     * As {@link #prepared}, for a statement ending in {@code RETURNING} that runs as a JDBC batch: each batch entry's
     * returned rows are read from {@link PreparedStatement#getGeneratedKeys()}, in entry order (PostgreSQL only:
     * pgjdbc then sends the whole batch in one round trip; sqlite-jdbc's generated keys are not RETURNING's rows).
     */
    public PreparedStatement preparedReturning(String sql) throws SQLException {
        String key = "returning:" + sql;
        PreparedStatement statement = prepared.get(key);
        if (statement == null) {
            statement = handle.getConnection().prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
            prepared.put(key, statement);
        }
        return statement;
    }

    /** Closes the statements {@link #prepared} made; the connection and its transaction are Jdbi's. */
    void closeStatements() {
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                // the connection is going back to the pool, which closes what is left open
            }
        }
        prepared.clear();
    }
}
