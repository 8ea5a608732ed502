package linegate.store;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Owner of the {@code accounts} table: the businesses that own lines and API tokens. */
public final class Accounts {
    private final Database db;
    private final Clock clock;

    public Accounts(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public long create(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an account needs a non-empty name");
        }
        return db.call(h -> h.createQuery("""
                        INSERT INTO accounts (name, created_at) VALUES (:name, :now) RETURNING id""")
                .bind("name", name.strip())
                .bind("now", clock.millis())
                .mapTo(Long.class)
                .one());
    }

    /** An account as operators see it; its callback secrets stay in {@code store.events.Callbacks}. */
    public record Account(long id, String name, Optional<String> callbackUrl, long createdAtMillis) {
    }

    private static final String COLUMNS = "id, name, callback_url, created_at";

    public Optional<Account> find(long id) {
        return db.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    /** In id order, from the first id above {@code afterId}, at most {@code limit}. */
    public List<Account> list(long afterId, int limit) {
        return db.call(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM accounts WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit).map((rs, ctx) -> map(rs)).list());
    }

    /** @throws NotFoundException naming the account and how to create one */
    public void rename(long id, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an account needs a non-empty name");
        }
        db.transaction(h -> {
            requireExists(h, id);
            return h.createUpdate("UPDATE accounts SET name = :name WHERE id = :id")
                    .bind("id", id).bind("name", name.strip()).execute();
        });
    }

    private static Account map(ResultSet rs) throws SQLException {
        return new Account(rs.getLong("id"), rs.getString("name"), Optional.ofNullable(rs.getString("callback_url")),
                rs.getLong("created_at"));
    }

    public boolean exists(long id) {
        return db.call(h -> exists(h, id));
    }

    /** @throws NotFoundException naming the account and how to create one */
    public void requireExists(long id) {
        db.call(h -> {
            requireExists(h, id);
            return null;
        });
    }

    /** The one check that an account exists, for the owners of tables that refer to accounts, in their transaction. */
    static void requireExists(Handle h, long id) {
        if (!exists(h, id)) {
            throw new NotFoundException("account " + id + " does not exist: create one with 'linegate account create --name NAME'");
        }
    }

    private static boolean exists(Handle h, long id) {
        return h.createQuery("SELECT COUNT(*) FROM accounts WHERE id = :id")
                .bind("id", id)
                .mapTo(Integer.class)
                .one() > 0;
    }
}
