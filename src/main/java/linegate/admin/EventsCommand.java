package linegate.admin;

import linegate.store.events.EventDelivery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code linegate events list|redeliver}: the callbacks' delivery state, and sending events again. */
@Command(name = "events", description = "Inspect events' callback delivery and send events again.",
        subcommands = {EventsCommand.List.class, EventsCommand.Redeliver.class}, mixinStandardHelpOptions = true)
public final class EventsCommand {
    @ParentCommand
    OperatorCommands root;

    @Command(name = "list", description = "Events newest first, one JSON object a line.", mixinStandardHelpOptions = true)
    static final class List implements Callable<Integer> {
        @ParentCommand
        EventsCommand parent;

        @Option(names = "--account", description = "Only this account's events.")
        Long account;

        @Option(names = "--state", description = "Only events in this delivery state: pending, delivered, dead (or none:"
                + " written while the account had no callback URL).")
        String state;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (1-10000; default 100).")
        int limit;

        @Override
        public Integer call() {
            if (state != null && !java.util.List.of("pending", "delivered", "dead", "none").contains(state)) {
                throw new IllegalArgumentException("--state must be pending, delivered, dead or none");
            }
            if (limit < 1 || limit > 10_000) {
                throw new IllegalArgumentException("--limit must be from 1 to 10000");
            }
            Operator op = parent.root.operator();
            for (EventDelivery e : op.stores().deliveries().list(Optional.ofNullable(account), Optional.ofNullable(state), limit)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("event_id", e.eventId());
                m.put("account_id", e.accountId());
                m.put("seq", e.seq());
                m.put("type", e.type());
                m.put("occurred_at", Instant.ofEpochMilli(e.occurredAtMillis()).toString());
                m.put("delivery", e.delivery());
                m.put("attempts", e.attempts());
                m.put("next_attempt_at", e.delivery().equals("pending")
                        ? Instant.ofEpochMilli(e.nextAttemptAtMillis()).toString() : null);
                m.put("last_error", e.lastError().orElse(null));
                m.put("delivered_at", e.deliveredAtMillis().map(t -> Instant.ofEpochMilli(t).toString()).orElse(null));
                op.print(m);
            }
            return 0;
        }
    }

    @Command(name = "redeliver", description = "Send the account's delivered and dead events again (all, since a time,"
            + " or one); prints {\"account_id\": N, \"redelivered\": COUNT}.", mixinStandardHelpOptions = true)
    static final class Redeliver implements Callable<Integer> {
        @ParentCommand
        EventsCommand parent;

        @Option(names = "--account", required = true, description = "The account whose events are sent again.")
        long account;

        @Option(names = "--since", paramLabel = "ISO", description = "Only events that occurred at or after this instant,"
                + " e.g. 2026-12-01T10:00:00Z.")
        String since;

        @Option(names = "--event", paramLabel = "EVT", description = "Only this event (its event_id, evt_...).")
        String event;

        @Override
        public Integer call() {
            Optional<Long> sinceMillis;
            try {
                sinceMillis = Optional.ofNullable(since).map(s -> Instant.parse(s).toEpochMilli());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--since must be an ISO-8601 instant such as 2026-12-01T10:00:00Z");
            }
            Operator op = parent.root.operator();
            op.stores().accounts().requireExists(account);
            if (op.stores().callbacks().find(account).isEmpty()) {
                throw new IllegalArgumentException("account " + account + " has no callback URL: set one with"
                        + " 'linegate account update " + account + " --callback-url URL' first");
            }
            int n = op.stores().deliveries().redeliver(account, sinceMillis, Optional.ofNullable(event), op.clock().millis());
            if (event != null && n == 0) {
                throw new IllegalArgumentException("account " + account + " has no delivered or dead event with that"
                        + " event_id (see 'linegate events list --account " + account + "')");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("account_id", account);
            out.put("redelivered", n);
            op.print(out);
            return 0;
        }
    }
}
