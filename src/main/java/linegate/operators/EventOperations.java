package linegate.operators;

import linegate.api.Refusal;
import linegate.store.Stores;
import linegate.store.events.EventType;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static linegate.operators.Checks.named;

/**
 * Events' callback deliveries, for operators: pages of them newest first (the dead ones to look into), and sending
 * delivered or dead events again, with a fresh count of attempts (docs/api.md, "Callbacks").
 */
public final class EventOperations {
    static final List<String> STATES = List.of("pending", "delivered", "dead", "none");
    static final int MAX_EVENT_IDS = 500;
    private final Stores stores;
    private final Clock clock;

    EventOperations(Stores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    public Page<EventView> list(EventQuery query, Optional<String> cursor, int limit) {
        Checks.limit(limit, Checks.MAX_LIST);
        Optional<String> state = query.state().map(EventOperations::state);
        Optional<String> type = query.type().map(t -> {
            if (java.util.Arrays.stream(EventType.values()).noneMatch(e -> e.wireName().equals(t))) {
                throw Refusal.invalid(named("type") + " must be one of " + String.join(", ",
                        java.util.Arrays.stream(EventType.values()).map(EventType::wireName).toList()));
            }
            return t;
        });
        List<EventView> views = stores.deliveries().page(query.accountId(), state, type, Cursor.decode(cursor),
                limit + 1).stream().map(EventView::new).toList();
        return Page.of(views, limit, EventView::id);
    }

    static String state(String text) {
        if (!STATES.contains(text)) {
            throw Refusal.invalid(named("state") + " must be pending, delivered, dead or none (written while the"
                    + " account had no callback URL)");
        }
        return text;
    }

    /** Sends the events again; returns how many were made pending (by account). */
    public Map<Long, Integer> redeliver(Redelivery what) {
        long now = clock.millis();
        if (what.eventIds().isEmpty()) {
            long account = what.accountId().orElseThrow(() -> Refusal.invalid("give account_id (--account), with"
                    + " since (--since) if you like, or event_ids (--event)"));
            Optional<Long> since = what.since().map(s -> Checks.instant("since", s));
            requireCallbackUrl(account);
            return Map.of(account, stores.deliveries().redeliver(account, since, Optional.empty(), now));
        }
        if (what.since().isPresent()) {
            throw Refusal.invalid("since (--since) goes with account_id (--account), not with event_ids (--event)");
        }
        if (what.eventIds().size() > MAX_EVENT_IDS) {
            throw Refusal.invalid("event_ids (--event) takes at most " + MAX_EVENT_IDS + " events at a time");
        }
        Set<String> ids = new LinkedHashSet<>(what.eventIds());
        Map<String, Long> accounts = stores.deliveries().accountsOf(ids);
        Optional<String> unknown = ids.stream().filter(id -> !accounts.containsKey(id)
                || what.accountId().map(a -> !a.equals(accounts.get(id))).orElse(false)).findFirst();
        if (unknown.isPresent()) {
            throw Refusal.notFound(what.accountId().map(a -> "account " + a + " has").orElse("there is")
                    + " no delivered or dead event with the event_id '" + Checks.shown(unknown.get()) + "' (see"
                    + " 'linegate events list', or GET /admin/v1/events)");
        }
        accounts.values().stream().distinct().forEach(this::requireCallbackUrl);
        Map<Long, Integer> done = new LinkedHashMap<>();
        for (String id : ids) {
            long account = accounts.get(id);
            int n = stores.deliveries().redeliver(account, Optional.empty(), Optional.of(id), now);
            done.merge(account, n, Integer::sum);
        }
        if (ids.size() == 1 && done.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            long account = accounts.values().iterator().next();
            throw Refusal.conflict("account " + account + " has no delivered or dead event with that event_id (a"
                    + " pending one is still being tried; see 'linegate events list --account " + account + "')");
        }
        return done;
    }

    private void requireCallbackUrl(long account) {
        StoreRefusals.translated(() -> stores.accounts().requireExists(account));
        if (stores.callbacks().find(account).isEmpty()) {
            throw Refusal.invalid("account " + account + " has no callback URL: set one with 'linegate account update "
                    + account + " --callback-url URL' (PATCH /admin/v1/accounts/" + account + ") first");
        }
    }
}
