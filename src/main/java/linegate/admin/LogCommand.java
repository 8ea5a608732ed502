package linegate.admin;

import linegate.send.MessageView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code linegate log list}: the message log, newest first, one JSON object a line. */
@Command(name = "log", description = "Read the message log.", subcommands = LogCommand.ListLog.class,
        mixinStandardHelpOptions = true)
public final class LogCommand {
    @ParentCommand
    OperatorCommands root;

    @Command(name = "list", description = "Messages newest first, one JSON object a line.", mixinStandardHelpOptions = true)
    static final class ListLog implements Callable<Integer> {
        @ParentCommand
        LogCommand parent;

        @Option(names = "--account", description = "Only this account's messages.")
        Long account;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many rows (1 to 10000; default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 10_000) {
                throw new IllegalArgumentException("--limit must be from 1 to 10000, got " + limit);
            }
            Operator op = parent.root.operator();
            op.stores().log().list(Optional.ofNullable(account), limit).forEach(row -> op.print(MessageView.of(row).fields()));
            return 0;
        }
    }
}
