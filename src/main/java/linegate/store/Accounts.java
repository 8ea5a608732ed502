package linegate.store;

import org.jdbi.v3.core.Handle;

import java.time.Clock;

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
