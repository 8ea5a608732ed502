package linegate.store;

import linegate.store.events.Deliveries;
import linegate.testing.StoresPerTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API's lists stay fast on a large log (issue 15: 100,000 messages): on 100,000 message rows and events,
 * each filter's query, as the store runs it, is planned by both databases as a walk of an index that stops at the
 * page's size: no sort of many matches (SQLite's "USE TEMP B-TREE FOR ORDER BY"; a PostgreSQL Sort of more than
 * {@link #MAX_SORTED} estimated rows) and no full scan of the table (PostgreSQL's Seq Scan; on SQLite a selective
 * filter uses an index). Plans, not timings, so the test says the same on a busy machine.
 */
class AdminListPlansTest extends StoresPerTest {
    static final int ROWS = 100_000;
    /** More rows than a page holds (500 at most), fewer than a filter that matches much of the log. */
    static final long MAX_SORTED = 1_000;

    AdminListPlansTest() {
        super(Instant.parse("2026-12-01T10:00:00Z"));
    }

    /** Four accounts with a line each, and ROWS messages and events spread over them. */
    void fill() {
        for (int i = 1; i <= 4; i++) {
            long account = stores.accounts().create("A" + i);
            stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(),
                    Optional.of("1784140579318721" + i), Optional.empty(), true, false));
        }
        String series = db == linegate.testing.TestDb.POSTGRESQL
                ? "FROM generate_series(1, " + ROWS + ") AS g(n)"
                : "FROM g";
        String with = db == linegate.testing.TestDb.POSTGRESQL ? ""
                : "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < " + ROWS + ") ";
        stores.db().call(h -> {
            h.execute(with + """
                    INSERT INTO message_log (account_id, line_id, channel, direction, peer_id, mtype, mdata, msg_id,
                                             state, created_at, updated_at)
                    SELECT 1 + n % 4, 1 + n % 4, 'instagram', CASE WHEN n % 4 = 0 THEN 'in' ELSE 'out' END,
                           CAST(1000 + n % 5000 AS TEXT), 'text', 'hi', 'crm-' || CAST(n AS TEXT),
                           CASE WHEN n % 50 = 0 THEN 'failed' ELSE 'sent' END, 1764000000000 + n, 1764000000000 + n
                    """ + series);
            h.execute(with + """
                    INSERT INTO events (event_id, account_id, seq, type, line_id, peer_id, cdls_id, state, occurred_at,
                                        delivery, next_attempt_at, created_at)
                    SELECT 'evt_' || CAST(n AS TEXT), 1 + n % 4, n, 'message.status', 1 + n % 4,
                           CAST(1000 + n % 5000 AS TEXT), n, 'sent', 1764000000000 + n,
                           CASE WHEN n % 100 = 0 THEN 'dead' ELSE 'delivered' END, 1764000000000 + n, 1764000000000 + n
                    """ + series);
            h.execute("ANALYZE");
            return null;
        });
    }

    List<String> plan(java.util.function.Function<org.jdbi.v3.core.Handle, org.jdbi.v3.core.statement.Query> query) {
        return stores.db().call(h -> query.apply(h).map((rs, ctx) -> rs.getString(
                db == linegate.testing.TestDb.POSTGRESQL ? 1 : 4)).list());
    }

    String explain() {
        return db == linegate.testing.TestDb.POSTGRESQL ? "EXPLAIN " : "EXPLAIN QUERY PLAN ";
    }

    void assertWalksAnIndex(String what, List<String> plan, boolean selective) {
        String text = String.join("\n", plan);
        if (db == linegate.testing.TestDb.POSTGRESQL) {
            assertThat(text).as(what + ":\n" + text).doesNotContain("Seq Scan");
            // a sort of the few rows an index found (a rare dest) costs nothing; a sort of many would
            for (String line : plan) {
                java.util.regex.Matcher sort = java.util.regex.Pattern.compile("Sort +\\(cost=[^ ]+ rows=(\\d+)")
                        .matcher(line);
                if (sort.find()) {
                    assertThat(Long.parseLong(sort.group(1))).as(what + ": rows sorted:\n" + text)
                            .isLessThanOrEqualTo(MAX_SORTED);
                }
            }
        } else {
            assertThat(text).as(what + ":\n" + text).doesNotContain("TEMP B-TREE");
            if (selective) {
                assertThat(text).as(what + ":\n" + text).contains("INDEX");
            }
        }
    }

    static LogFilter filter(Optional<Long> account, Optional<Long> line, Optional<LogState> state,
                            Optional<String> peer, Optional<String> msgId, Optional<Long> since) {
        return new LogFilter(account, line, state, Optional.empty(), peer, msgId, since, Optional.empty());
    }

    @Test
    void everyMessageFilterWalksAnIndexInIdOrder() {
        fill();
        Optional<Long> none = Optional.empty();
        record Case(String what, LogFilter filter, Optional<Long> before, boolean selective) {
        }
        Optional<Long> a1 = Optional.of(1L);
        Optional<LogState> failed = Optional.of(LogState.FAILED);
        Optional<String> dest = Optional.of("1234");
        Optional<String> msgId = Optional.of("crm-777");
        Optional<String> no = Optional.empty();
        Optional<LogState> anyState = Optional.empty();
        for (Case c : List.of(
                new Case("no filter", LogFilter.none(), none, false),
                new Case("account", filter(Optional.of(2L), none, anyState, no, no, none), none, true),
                new Case("account, second page", filter(Optional.of(2L), none, anyState, no, no, none),
                        Optional.of(50_000L), true),
                new Case("line", filter(none, Optional.of(3L), anyState, no, no, none), none, true),
                new Case("state", filter(none, none, failed, no, no, none), none, false),
                new Case("dest", filter(none, none, anyState, dest, no, none), none, true),
                new Case("msg_id", filter(none, none, anyState, no, msgId, none), none, true),
                new Case("account and state", filter(a1, none, failed, no, no, none), none, true),
                new Case("account and msg_id", filter(a1, none, anyState, no, msgId, none), none, true),
                new Case("line and dest", filter(none, a1, anyState, dest, no, none), none, true),
                new Case("since", filter(none, none, anyState, no, no, Optional.of(1764000050000L)), none, false))) {
            assertWalksAnIndex(c.what(), plan(h -> MessageLog.pageQuery(h, explain(), c.filter(), c.before(), 51)),
                    c.selective());
        }
    }

    @Test
    void everyEventFilterWalksAnIndexInIdOrder() {
        fill();
        Optional<Long> none = Optional.empty();
        assertWalksAnIndex("no filter", plan(h -> Deliveries.pageQuery(h, explain(), none, Optional.empty(),
                Optional.empty(), none, 51)), false);
        assertWalksAnIndex("account", plan(h -> Deliveries.pageQuery(h, explain(), Optional.of(2L), Optional.empty(),
                Optional.empty(), none, 51)), true);
        assertWalksAnIndex("dead", plan(h -> Deliveries.pageQuery(h, explain(), none, Optional.of("dead"),
                Optional.empty(), none, 51)), true);
        assertWalksAnIndex("account and dead", plan(h -> Deliveries.pageQuery(h, explain(), Optional.of(3L),
                Optional.of("dead"), Optional.empty(), Optional.of(60_000L), 51)), true);
    }
}
