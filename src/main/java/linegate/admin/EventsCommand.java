package linegate.admin;

import linegate.operators.EventQuery;
import linegate.operators.Redelivery;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code linegate events list|redeliver}: the callbacks' delivery state, and sending events again. */
@Command(name = "events", description = "Inspect events' callback delivery and send events again.",
        subcommands = {EventsCommand.List.class, EventsCommand.Redeliver.class,
                HelpCommand.class}, mixinStandardHelpOptions = true)
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
            Operator op = parent.root.operator();
            op.operations().events().list(new EventQuery(Optional.ofNullable(account), Optional.ofNullable(state),
                    Optional.empty()), Optional.empty(), limit).items().forEach(e -> op.print(e.commandFields()));
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
            Operator op = parent.root.operator();
            Map<Long, Integer> done = op.operations().events().redeliver(new Redelivery(Optional.of(account),
                    event == null ? Optional.ofNullable(since) : Optional.empty(),
                    event == null ? java.util.List.of() : java.util.List.of(event)));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("account_id", account);
            out.put("redelivered", done.getOrDefault(account, 0));
            op.print(out);
            return 0;
        }
    }
}
