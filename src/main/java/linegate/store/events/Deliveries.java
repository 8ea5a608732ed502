package linegate.store.events;

import linegate.store.Database;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Owner of the delivery columns of the {@code events} table ({@code delivery, attempts, next_attempt_at, lease_*,
 * last_error, delivered_at}); the outbox writes the rows. A node claims due events under a lease and only it records
 * their outcome while the lease holds; a node that dies leaves its claims to the others when the lease runs out.
 * <p>
 * Order: an event is claimable only when no earlier event of its conversation (account, line, peer) is still
 * {@code pending}, so at most one event per conversation is in flight and they go in {@code seq} order.
 */
public final class Deliveries {
    /**
     * Events that may be claimed: due, unleased, the first pending one of their conversation, for an account with a
     * URL. A line event's conversation is its line (no peer: COALESCE to ''); the comparison is written exactly as
     * the partial index events_pending_conversation (V8) is, so each probe is one index look-up. Every event has a line.
     * The unary plus keeps SQLite from the events_due index: it walks events_pending_seq in seq order and stops at
     * {@code limit}, instead of reading every due event and sorting them.
     */
    private static final String CLAIMABLE = """
            SELECT e.id FROM events e
            WHERE e.account_id = :account AND e.delivery = 'pending' AND +e.next_attempt_at <= :now
              AND (e.lease_until IS NULL OR e.lease_until < :now)
              AND NOT EXISTS (SELECT 1 FROM events p
                              WHERE p.account_id = e.account_id AND p.line_id = e.line_id
                                AND COALESCE(p.peer_id, '') = COALESCE(e.peer_id, '')
                                AND p.delivery = 'pending' AND p.seq < e.seq)
            ORDER BY e.seq
            LIMIT :limit""";

    private final Database db;

    public Deliveries(Database db) {
        this.db = db;
    }

    /**
     * Accounts with a callback URL that have events due now. Asked per account, and the first due event of each
     * answers it (events_pending_seq), so a large backlog is not read every poll.
     */
    public List<Long> accountsWithDueEvents(long nowMillis) {
        return db.call(h -> h.createQuery("""
                        SELECT a.id FROM accounts a
                        WHERE a.callback_url IS NOT NULL AND EXISTS (
                            SELECT 1 FROM events e
                            WHERE e.account_id = a.id AND e.delivery = 'pending' AND +e.next_attempt_at <= :now
                              AND (e.lease_until IS NULL OR e.lease_until < :now))""")
                .bind("now", nowMillis)
                .mapTo(Long.class)
                .list());
    }

    /**
     * Claims due events of the account for {@code node} until {@code leaseUntil}, and returns them in {@code seq}
     * order. At most {@code inFlight} of the account's events may be in flight over all nodes; a node may hold more
     * leases than that ({@code ahead}, to post from memory as its requests end instead of claiming per request) only
     * while no other node holds any of the account's leases. So:
     * <ul>
     *   <li>no other node holds one: up to {@code ahead} minus the leases {@code node} holds already;</li>
     *   <li>another node holds some: up to {@code inFlight} minus every lease held, as if no node claimed ahead.</li>
     * </ul>
     * Either way, the events in flight (a subset of the leased ones, at most {@code inFlight} per node) never exceed
     * {@code inFlight} over all nodes. On PostgreSQL an advisory lock on the account serializes the nodes' claims for
     * it, without locking the account row that the outbox's writers update.
     */
    public List<DueEvent> claim(long accountId, long node, long nowMillis, long leaseUntil, int inFlight, int ahead) {
        if (inFlight < 1 || ahead < inFlight) {
            throw new IllegalArgumentException("need 1 <= inFlight <= ahead, got " + inFlight + " and " + ahead);
        }
        return db.transaction(h -> {
            boolean postgres = db.kind() == Database.Kind.POSTGRESQL;
            if (postgres) {
                h.createQuery("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(7411, :account)) AS locked")
                        .bind("account", Math.toIntExact(accountId)).mapTo(Integer.class).one();
            }
            int[] leased = h.createQuery("""
                            SELECT COALESCE(SUM(CASE WHEN lease_node = :node THEN 1 ELSE 0 END), 0),
                                   COALESCE(SUM(CASE WHEN lease_node <> :node THEN 1 ELSE 0 END), 0)
                            FROM events
                            WHERE account_id = :account AND delivery = 'pending' AND lease_until >= :now""")
                    .bind("account", accountId).bind("node", node).bind("now", nowMillis)
                    .map((rs, ctx) -> new int[]{rs.getInt(1), rs.getInt(2)}).one();
            int own = leased[0];
            int others = leased[1];
            int free = others == 0 ? ahead - own : inFlight - own - others;
            if (free <= 0) {
                return List.of();
            }
            return h.createQuery("""
                            UPDATE events SET lease_node = :node, lease_until = :until
                            WHERE id IN (%s)
                            RETURNING id, event_id, account_id, seq, attempts, occurred_at""".formatted(CLAIMABLE))
                    .bind("account", accountId)
                    .bind("now", nowMillis)
                    .bind("limit", free)
                    .bind("node", node)
                    .bind("until", leaseUntil)
                    .map((rs, ctx) -> new DueEvent(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            rs.getInt(5), rs.getLong(6)))
                    .list()
                    .stream().sorted(java.util.Comparator.comparingLong(DueEvent::seq)).toList();
        });
    }

    /** What became of one attempt, as {@link #recordAll} records it. */
    public sealed interface Outcome {
        long id();

        /** Answered 2xx. */
        record Delivered(long id, long atMillis) implements Outcome {
        }

        /** Failed; tried again at {@code nextAttemptAt}. */
        record Retry(long id, long nextAttemptAt, String error) implements Outcome {
        }

        /** Failed past the event's age: no more attempts until an operator redelivers it. */
        record Dead(long id, String error) implements Outcome {
        }
    }

    private static final String DELIVERED = """
            UPDATE events SET delivery = 'delivered', delivered_at = ?, attempts = attempts + 1,
                              lease_node = NULL, lease_until = NULL, last_error = NULL
            WHERE id = ? AND lease_node = ? AND delivery = 'pending'""";
    private static final String RETRY = """
            UPDATE events SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?,
                              lease_node = NULL, lease_until = NULL
            WHERE id = ? AND lease_node = ? AND delivery = 'pending'""";
    private static final String DEAD = """
            UPDATE events SET delivery = 'dead', attempts = attempts + 1, last_error = ?,
                              lease_node = NULL, lease_until = NULL
            WHERE id = ? AND lease_node = ? AND delivery = 'pending'""";

    /**
     * Records attempts' outcomes in one transaction: one commit for many attempts, so a busy account's deliveries do
     * not take the database's write lock once per event. Each kind of outcome is one prepared statement run as one
     * JDBC batch (on PostgreSQL one round trip for all of that kind). For each outcome, in order: whether
     * {@code node} still held the event's lease (if not, another node has it now and this outcome is dropped). An
     * event recorded twice in one call (it cannot be: each attempt ends once) is recorded once, by its first outcome.
     */
    public List<Boolean> recordAll(long node, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return List.of();
        }
        return db.transaction(h -> {
            Connection c = h.getConnection();
            try (PreparedStatement delivered = c.prepareStatement(DELIVERED);
                 PreparedStatement retry = c.prepareStatement(RETRY);
                 PreparedStatement dead = c.prepareStatement(DEAD)) {
                Map<PreparedStatement, List<Integer>> positions = new IdentityHashMap<>();
                for (int i = 0; i < outcomes.size(); i++) {
                    Outcome o = outcomes.get(i);
                    PreparedStatement statement = switch (o) {
                        case Outcome.Delivered d -> {
                            delivered.setLong(1, d.atMillis());
                            yield keyed(delivered, 2, o.id(), node);
                        }
                        case Outcome.Retry r -> {
                            retry.setLong(1, r.nextAttemptAt());
                            retry.setString(2, r.error());
                            yield keyed(retry, 3, o.id(), node);
                        }
                        case Outcome.Dead d -> {
                            dead.setString(1, d.error());
                            yield keyed(dead, 2, o.id(), node);
                        }
                    };
                    statement.addBatch();
                    positions.computeIfAbsent(statement, k -> new ArrayList<>()).add(i);
                }
                Boolean[] held = new Boolean[outcomes.size()];
                for (Map.Entry<PreparedStatement, List<Integer>> kind : positions.entrySet()) {
                    int[] counts = kind.getKey().executeBatch();
                    for (int j = 0; j < counts.length; j++) {
                        held[kind.getValue().get(j)] = counts[j] == 1;
                    }
                }
                return List.of(held);
            } catch (SQLException e) {
                throw Database.failed(e);
            }
        });
    }

    /** Sets the event's id and the node at {@code at} and the next position: the WHERE of every outcome. */
    private static PreparedStatement keyed(PreparedStatement statement, int at, long id, long node) throws SQLException {
        statement.setLong(at, id);
        statement.setLong(at + 1, node);
        return statement;
    }

    /** The event was answered 2xx. False when this node no longer held its lease. */
    public boolean markDelivered(long id, long node, long nowMillis) {
        return recordAll(node, List.of(new Outcome.Delivered(id, nowMillis))).getFirst();
    }

    /** The attempt failed; the event is tried again at {@code nextAttemptAt}. */
    public boolean scheduleRetry(long id, long node, long nextAttemptAt, String error) {
        return recordAll(node, List.of(new Outcome.Retry(id, nextAttemptAt, error))).getFirst();
    }

    /** The attempt failed and the event is past its age: no more attempts until an operator redelivers it. */
    public boolean markDead(long id, long node, String error) {
        return recordAll(node, List.of(new Outcome.Dead(id, error))).getFirst();
    }

    /**
     * Frees the leases that other nodes still hold: for the embedded database, whose one node is this one, so a lease
     * of another node id was left by an earlier process (a kill, a crash) and would otherwise hold its event back for
     * the rest of the lease. The event was maybe posted already; callbacks are at least once. Returns how many.
     */
    public int releaseLeasesOfOtherNodes(long node) {
        return db.call(h -> h.createUpdate("""
                        UPDATE events SET lease_node = NULL, lease_until = NULL
                        WHERE delivery = 'pending' AND lease_node IS NOT NULL AND lease_node <> :node""")
                .bind("node", node)
                .execute());
    }

    /**
     * Makes the account's delivered and dead events pending again, due now, with a fresh count of attempts: all of
     * them, those that occurred at or after {@code sinceMillis}, or the one event {@code eventId}. Returns how many.
     */
    public int redeliver(long accountId, Optional<Long> sinceMillis, Optional<String> eventId, long nowMillis) {
        return db.call(h -> {
            Update u = h.createUpdate("""
                    UPDATE events SET delivery = 'pending', attempts = 0, next_attempt_at = :now, last_error = NULL,
                                      delivered_at = NULL, lease_node = NULL, lease_until = NULL
                    WHERE account_id = :account AND delivery IN ('delivered', 'dead')"""
                    + (sinceMillis.isPresent() ? " AND occurred_at >= :since" : "")
                    + (eventId.isPresent() ? " AND event_id = :event" : ""))
                    .bind("account", accountId)
                    .bind("now", nowMillis);
            sinceMillis.ifPresent(s -> u.bind("since", s));
            eventId.ifPresent(e -> u.bind("event", e));
            return u.execute();
        });
    }

    /** Events newest first, at most {@code limit}, of one account and one delivery state when given. */
    public List<EventDelivery> list(Optional<Long> accountId, Optional<String> delivery, int limit) {
        return page(accountId, delivery, Optional.empty(), Optional.empty(), limit);
    }

    /**
     * Events newest first (id descending), below {@code beforeId} when given, at most {@code limit}: of one account,
     * one delivery state, one type when given. The account and the delivery state each have an index in id order
     * (events_account_id, events_delivery_id: V14).
     */
    public List<EventDelivery> page(Optional<Long> accountId, Optional<String> delivery, Optional<String> type,
                                    Optional<Long> beforeId, int limit) {
        return db.call(h -> pageQuery(h, "", accountId, delivery, type, beforeId, limit)
                .map((rs, ctx) -> new EventDelivery(rs.getLong("id"), rs.getString("event_id"),
                        rs.getLong("account_id"), rs.getLong("seq"), rs.getString("type"), nullableLong(rs, "line_id"),
                        nullableLong(rs, "cdls_id"), rs.getLong("occurred_at"), rs.getString("delivery"),
                        rs.getInt("attempts"), rs.getLong("next_attempt_at"),
                        Optional.ofNullable(rs.getString("last_error")), nullableLong(rs, "delivered_at")))
                .list());
    }

    /**
     * {@link #page}'s statement, after {@code prefix}: public so that the store's plan test can put {@code EXPLAIN}
     * there and check that each filter walks an index.
     */
    public static Query pageQuery(org.jdbi.v3.core.Handle h, String prefix, Optional<Long> accountId,
                                  Optional<String> delivery, Optional<String> type, Optional<Long> beforeId,
                                  int limit) {
        String where = accountId.map(a -> " AND account_id = :account").orElse("")
                + delivery.map(d -> " AND delivery = :delivery").orElse("")
                + type.map(d -> " AND type = :type").orElse("")
                + beforeId.map(d -> " AND id < :before").orElse("");
        Query q = h.createQuery(prefix + """
                SELECT id, event_id, account_id, seq, type, line_id, cdls_id, occurred_at, delivery, attempts,
                       next_attempt_at, last_error, delivered_at
                FROM events WHERE 1 = 1""" + where + " ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit);
        accountId.ifPresent(a -> q.bind("account", a));
        delivery.ifPresent(d -> q.bind("delivery", d));
        type.ifPresent(t -> q.bind("type", t));
        beforeId.ifPresent(b -> q.bind("before", b));
        return q;
    }

    /** The account of each of these events (by event_id) that exists. */
    public Map<String, Long> accountsOf(java.util.Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Map.of();
        }
        return db.call(h -> h.createQuery("SELECT event_id, account_id FROM events WHERE event_id IN (<ids>)")
                .bindList("ids", List.copyOf(eventIds))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .list()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    private static Optional<Long> nullableLong(java.sql.ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    /** How many dead events each of these accounts has; an account with none is left out. */
    public Map<Long, Long> deadCounts(java.util.Collection<Long> accountIds) {
        if (accountIds.isEmpty()) {
            return Map.of();
        }
        return db.call(h -> h.createQuery("""
                        SELECT account_id, COUNT(*) FROM events WHERE delivery = 'dead' AND account_id IN (<ids>)
                        GROUP BY account_id""")
                .bindList("ids", List.copyOf(accountIds))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                .list()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** Per account with pending events: when its oldest pending event occurred (epoch millis). */
    public Map<Long, Long> oldestPending() {
        return db.call(h -> h.createQuery("""
                        SELECT account_id, MIN(occurred_at) FROM events WHERE delivery = 'pending' GROUP BY account_id""")
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                .list()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
