package linegate.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Owner of the {@code lines} table. Page access tokens go in sealed by {@link TokenCipher} and come out opened. An
 * Instagram account id or a Page id belongs to at most one active line (the {@code lines_active_*} indexes, V6): Meta's
 * webhooks name their line only by it, so a second active holder would read the first one's customers' messages.
 */
public final class Lines {
    private static final String COLUMNS = """
            id, account_id, class, active, page_id, ig_account_id, page_token_sealed, human_agent, sends_per_second,
            health, health_reason, created_at, updated_at, login, token_issued_at, token_expires_at""";

    private static final Logger LOG = LoggerFactory.getLogger(Lines.class);
    private final Database db;
    private final TokenCipher cipher;
    private final Clock clock;
    private final LookupEpoch lookups;
    private final NoticeRecorder notices;
    private final LineTokens tokens;

    /**
     * {@code lookups} is advanced after each committed change, so this process's cached look-ups see it at once;
     * {@code notices} is told of each health change in its transaction.
     */
    public Lines(Database db, TokenCipher cipher, Clock clock, LookupEpoch lookups, NoticeRecorder notices) {
        this.db = db;
        this.cipher = cipher;
        this.clock = clock;
        this.lookups = lookups;
        this.notices = notices;
        this.tokens = new LineTokens(db, cipher, lookups);
    }

    /** The token work on lines: the periodic check's claims, and refreshing Instagram Login tokens. */
    public LineTokens tokens() {
        return tokens;
    }

    /** @throws MetaIdInUseException when the line is active and another active line holds its Instagram or Page id */
    public long create(NewLine line) {
        return create(line, OptionalInt.empty());
    }

    /**
     * As {@link #create(NewLine)}, with the line's own send budget ({@code --sends-per-second}); empty: the default.
     *
     * @throws MetaIdInUseException when the line is active and another active line holds its Instagram or Page id
     */
    public long create(NewLine line, OptionalInt sendsPerSecond) {
        if (sendsPerSecond.isPresent() && sendsPerSecond.getAsInt() < 1) {
            throw new IllegalArgumentException("a line's sends per second are at least 1, got " + sendsPerSecond.getAsInt());
        }
        return heldIdsChecked(h -> {
            Accounts.requireExists(h, line.accountId());
            if (line.active()) {
                refuseIdsHeldByAnotherLine(h, 0, line.igAccountId(), line.pageId());
            }
            long now = clock.millis();
            return h.createQuery("""
                            INSERT INTO lines (account_id, class, active, page_id, ig_account_id, page_token_sealed,
                                               human_agent, sends_per_second, created_at, updated_at, login,
                                               token_issued_at, token_expires_at)
                            VALUES (:account, :class, :active, :page, :ig, :token, :human, :rate, :now, :now, :login,
                                    :issued, :expires)
                            RETURNING id""")
                    .bind("account", line.accountId())
                    .bind("class", line.lineClass().dbValue())
                    .bind("active", line.active())
                    .bind("page", line.pageId().orElse(null))
                    .bind("ig", line.igAccountId().orElse(null))
                    .bind("token", line.pageToken().map(cipher::seal).orElse(null))
                    .bind("human", line.humanAgent())
                    .bind("rate", sendsPerSecond.isPresent() ? sendsPerSecond.getAsInt() : null)
                    .bind("now", now)
                    .bind("login", line.login().dbValue())
                    .bind("issued", line.pageToken().isPresent() ? now : null)
                    .bind("expires", line.tokenExpiresAt().map(java.time.Instant::toEpochMilli).orElse(null))
                    .mapTo(Long.class)
                    .one();
        }, line.igAccountId(), line.pageId(), 0);
    }

    private static Integer boxed(OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }

    /** The health reason of a line whose page token was just replaced. */
    public static final String NEW_TOKEN = "a new page token was set; Meta has not answered a call made with it yet";

    /**
     * Applies the changes and returns the line as it now is. A new page token makes the line's health
     * {@code unknown} (a line.status event when it was anything else).
     *
     * @throws MetaIdInUseException when activating the line while another active line holds its Instagram or Page id
     */
    public Line update(long id, LineChanges changes) {
        return update(id, changes, Optional.empty(), Optional.empty());
    }

    /**
     * As {@link #update(long, LineChanges)}, and also sets the line's Instagram account id or Page id when given
     * (digits; an active line's new id must not be another active line's).
     *
     * @throws MetaIdInUseException when the line is or becomes active and another active line holds one of its ids
     */
    public Line update(long id, LineChanges changes, Optional<String> igAccountId, Optional<String> pageId) {
        igAccountId.ifPresent(v -> NewLine.requireDigits("--ig-account-id", v));
        pageId.ifPresent(v -> NewLine.requireDigits("--page-id", v));
        Line before = find(id).orElseThrow(() -> new NotFoundException("line " + id + " does not exist"));
        Optional<String> ig = igAccountId.or(before::igAccountId);
        Optional<String> page = pageId.or(before::pageId);
        Line updated = heldIdsChecked(h -> {
            Line current = find(h, id).orElseThrow(() -> new NotFoundException("line " + id + " does not exist"));
            boolean active = changes.active().orElse(current.active());
            boolean idsChanged = !ig.equals(current.igAccountId()) || !page.equals(current.pageId());
            if (active && (!current.active() || idsChanged)) {
                refuseIdsHeldByAnotherLine(h, id, ig, page);
            }
            h.createUpdate("""
                            UPDATE lines SET page_token_sealed = :token, active = :active, human_agent = :human,
                                             sends_per_second = :rate, ig_account_id = :ig, page_id = :page,
                                             updated_at = :now, token_issued_at = :issued, token_expires_at = :expires
                            WHERE id = :id""")
                    .bind("id", id)
                    .bind("token", changes.pageToken().map(cipher::seal).orElseGet(() -> currentSealed(h, id)))
                    .bind("active", active)
                    .bind("human", changes.humanAgent().orElse(current.humanAgent()))
                    .bind("rate", boxed(changes.sendsPerSecond().orElse(current.sendsPerSecond())))
                    .bind("ig", ig.orElse(null))
                    .bind("page", page.orElse(null))
                    .bind("now", clock.millis())
                    // a new token's expiry is not known until Meta's next refresh says it (docs/operations.md)
                    .bind("issued", changes.pageToken().isPresent() ? Long.valueOf(clock.millis())
                            : current.tokenIssuedAtMillis().orElse(null))
                    .bind("expires", changes.pageToken().isPresent() ? null : current.tokenExpiresAtMillis().orElse(null))
                    .execute();
            if (changes.pageToken().isPresent()) {
                // what Meta said of the old token says nothing of the new one: unknown until Meta answers with it
                changeHealth(h, id, LineHealth.UNKNOWN, Optional.of(NEW_TOKEN));
            }
            return find(h, id).orElseThrow(() -> new NotFoundException("line " + id + " does not exist"));
        }, ig, page, id);
        lookups.advance();
        return updated;
    }

    /** Lines in id order, from the first id above {@code afterId}, at most {@code limit}; of one account when given. */
    public List<Line> page(Optional<Long> accountId, long afterId, int limit) {
        return db.call(h -> {
            Query q = h.createQuery("SELECT " + COLUMNS + " FROM lines WHERE id > :after"
                    + (accountId.isPresent() ? " AND account_id = :account" : "") + " ORDER BY id LIMIT :limit");
            accountId.ifPresent(a -> q.bind("account", a));
            return q.bind("after", afterId).bind("limit", limit).map((rs, ctx) -> map(rs)).list();
        });
    }

    /**
     * Records what Meta's answer showed of the line's health, and tells the recorder in the same transaction when it
     * changed. A compare-and-set on the health read in the transaction: of several nodes (or threads) seeing the same
     * change, one records it and the others find nothing to do, so each change is one event.
     *
     * @return the change, or empty when the line already had this health or does not exist
     */
    public Optional<LineHealthChange> recordHealth(long lineId, LineHealth health, Optional<String> reason) {
        return db.transaction(h -> changeHealth(h, lineId, health, reason));
    }

    private Optional<LineHealthChange> changeHealth(Handle h, long lineId, LineHealth health, Optional<String> reason) {
        Optional<HealthHolder> holder = h.createQuery("SELECT account_id, class, health FROM lines WHERE id = :id")
                .bind("id", lineId)
                .map((rs, ctx) -> new HealthHolder(rs.getLong("account_id"), LineClass.fromDb(rs.getString("class")),
                        LineHealth.fromDb(rs.getString("health"))))
                .findOne()
                .filter(current -> current.health() != health);
        if (holder.isEmpty()) {
            return Optional.empty();
        }
        HealthHolder current = holder.get();
        LineHealthChange change = new LineHealthChange(current.accountId(), lineId, current.lineClass(),
                current.health(), health, reason, clock.millis());
        int updated = h.createUpdate("""
                        UPDATE lines SET health = :health, health_reason = :reason, health_changed_at = :now
                        WHERE id = :id AND health = :previous""")
                .bind("id", lineId)
                .bind("health", health.dbValue())
                .bind("reason", reason.orElse(null))
                .bind("now", change.atMillis())
                .bind("previous", current.health().dbValue())
                .execute();
        if (updated == 0) {
            return Optional.empty(); // another node or thread recorded a change meanwhile
        }
        notices.lineHealthChanged(new Transaction(h), change);
        return Optional.of(change);
    }

    private record HealthHolder(long accountId, LineClass lineClass, LineHealth health) {
    }

    /** The line with this id if it belongs to this account; the caller decides what inactive or another class means. */
    public Optional<Line> findForAccount(long accountId, long lineId) {
        return db.call(h -> find(h, lineId).filter(l -> l.accountId() == accountId));
    }

    public Optional<Line> find(long id) {
        return db.call(h -> find(h, id));
    }

    /**
     * The active line that holds this Instagram account id (webhooks with {@code object: instagram}); at most one does.
     * An inactive line is out of service: its id's events are nobody's.
     */
    public Optional<Line> findActiveByIgAccountId(String igAccountId) {
        return db.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM lines WHERE ig_account_id = :id AND active")
                .bind("id", igAccountId).map((rs, ctx) -> map(rs)).findOne());
    }

    /** The active line that holds this Facebook Page id (webhooks with {@code object: page}); at most one does. */
    public Optional<Line> findActiveByPageId(String pageId) {
        return db.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM lines WHERE page_id = :id AND active")
                .bind("id", pageId).map((rs, ctx) -> map(rs)).findOne());
    }

    public List<Line> list(Optional<Long> accountId) {
        return db.call(h -> {
            Query q = h.createQuery("SELECT " + COLUMNS + " FROM lines"
                    + (accountId.isPresent() ? " WHERE account_id = :account" : "") + " ORDER BY id");
            accountId.ifPresent(a -> q.bind("account", a));
            return q.map((rs, ctx) -> map(rs)).list();
        });
    }

    /**
     * Runs a change in one transaction. Two operators racing past {@link #refuseIdsHeldByAnotherLine} both reach the
     * unique index; the loser gets the same answer as if it had come second.
     */
    private <R> R heldIdsChecked(HandleCallback<R, RuntimeException> change, Optional<String> igAccountId,
                                 Optional<String> pageId, long lineId) {
        try {
            return db.transaction(change);
        } catch (JdbiException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            db.call(h -> {
                refuseIdsHeldByAnotherLine(h, lineId, igAccountId, pageId);
                return null;
            });
            throw e;
        }
    }

    /** Throws when an active line other than {@code lineId} holds one of these ids. */
    private static void refuseIdsHeldByAnotherLine(Handle h, long lineId, Optional<String> igAccountId,
                                                   Optional<String> pageId) {
        for (MetaIdInUseException.Kind kind : MetaIdInUseException.Kind.values()) {
            Optional<String> metaId = kind == MetaIdInUseException.Kind.INSTAGRAM_ACCOUNT ? igAccountId : pageId;
            if (metaId.isEmpty()) {
                continue;
            }
            Optional<long[]> holder = h.createQuery("SELECT id, account_id FROM lines WHERE active AND id <> :line AND "
                            + kind.column + " = :metaId")
                    .bind("line", lineId).bind("metaId", metaId.get())
                    .map((rs, ctx) -> new long[] {rs.getLong("id"), rs.getLong("account_id")})
                    .findFirst();
            if (holder.isPresent()) {
                throw new MetaIdInUseException(kind, metaId.get(), holder.get()[0], holder.get()[1]);
            }
        }
    }

    /** A unique index refused the row: SQLState 23505 on PostgreSQL, SQLITE_CONSTRAINT_UNIQUE on SQLite. */
    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("23505".equals(sql.getSQLState())
                    || String.valueOf(sql.getMessage()).contains("SQLITE_CONSTRAINT_UNIQUE"))) {
                return true;
            }
        }
        return false;
    }

    private static String currentSealed(Handle h, long id) {
        return h.createQuery("SELECT page_token_sealed FROM lines WHERE id = :id")
                .bind("id", id).mapTo(String.class).one();
    }

    private Optional<Line> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM lines WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    private Line map(ResultSet rs) throws SQLException {
        String sealed = rs.getString("page_token_sealed");
        Optional<PageAccessToken> token = Optional.empty();
        boolean unreadable = false;
        if (sealed != null) {
            try {
                token = Optional.of(cipher.open(sealed));
            } catch (TokenCipher.UnreadableTokenException e) {
                unreadable = true;
                LOG.error("line {}: {}", rs.getLong("id"), e.getMessage());
            }
        }
        return new Line(
                rs.getLong("id"),
                rs.getLong("account_id"),
                LineClass.fromDb(rs.getString("class")),
                rs.getBoolean("active"),
                Optional.ofNullable(rs.getString("page_id")),
                Optional.ofNullable(rs.getString("ig_account_id")),
                token,
                unreadable,
                rs.getBoolean("human_agent"),
                rs.getObject("sends_per_second") == null ? OptionalInt.empty() : OptionalInt.of(rs.getInt("sends_per_second")),
                LineHealth.fromDb(rs.getString("health")),
                Optional.ofNullable(rs.getString("health_reason")),
                rs.getLong("created_at"),
                rs.getLong("updated_at"),
                LineLogin.fromDb(rs.getString("login")),
                optionalLong(rs, "token_issued_at"),
                optionalLong(rs, "token_expires_at"));
    }

    static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }
}
