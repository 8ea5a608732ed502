package linegate.store;

import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link ChangeRecorder} as the coming outbox will be: it writes each change into a table of its own through the
 * {@link Transaction} it is given, so a recorded change is visible to another connection exactly when the change it
 * reports committed. Told to, it throws after writing (as a recorder whose statement fails would).
 */
final class ChangeTable implements ChangeRecorder {
    private final StoreFixture fx;
    private volatile Predicate<MessageChange> refuse = c -> false;

    /** Creates the table in the fixture's database. */
    ChangeTable(StoreFixture fx) {
        this.fx = fx;
        fx.execute("""
                CREATE TABLE recorded_changes (cdls_id BIGINT NOT NULL, account_id BIGINT NOT NULL,
                                               line_id BIGINT NOT NULL, peer_id TEXT NOT NULL, kind TEXT NOT NULL,
                                               at_millis BIGINT NOT NULL)""");
    }

    @Override
    public void record(Transaction tx, MessageChange c) {
        tx.handle().createUpdate("""
                        INSERT INTO recorded_changes (cdls_id, account_id, line_id, peer_id, kind, at_millis)
                        VALUES (:id, :account, :line, :peer, :kind, :at)""")
                .bind("id", c.cdlsId()).bind("account", c.accountId()).bind("line", c.lineId())
                .bind("peer", c.peerId()).bind("kind", c.kind().name()).bind("at", c.atMillis())
                .execute();
        if (refuse.test(c)) {
            throw new IllegalStateException("the recorder refused " + c.kind() + " of row " + c.cdlsId());
        }
    }

    /** From now on, throws after writing each change that matches. */
    void refuse(Predicate<MessageChange> which) {
        refuse = which;
    }

    /** The committed changes, by row then kind, as another connection sees them. */
    List<MessageChange> committed() {
        return fx.query("SELECT * FROM recorded_changes ORDER BY cdls_id, kind, at_millis").stream()
                .map(r -> new MessageChange(StoreFixture.asLong(r.get("cdls_id")), StoreFixture.asLong(r.get("account_id")),
                        StoreFixture.asLong(r.get("line_id")), (String) r.get("peer_id"),
                        MessageChange.Kind.valueOf((String) r.get("kind")), StoreFixture.asLong(r.get("at_millis"))))
                .toList();
    }
}
