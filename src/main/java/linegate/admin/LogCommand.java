package linegate.admin;

import linegate.operators.MessageQuery;
import linegate.send.MessageView;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code linegate log list|show}: the message log, newest first, one JSON object a line, each MessageStatus's object
 * (docs/api.md). The filters are the admin API's ({@code GET /admin/v1/messages}), with the same checks.
 */
@Command(name = "log", description = "Read the message log.",
        subcommands = {LogCommand.ListLog.class, LogCommand.Show.class,
        HelpCommand.class},
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

        @Option(names = "--line", paramLabel = "ID", description = "Only this line's messages (its app_id).")
        Long line;

        @Option(names = "--state", description = "Only messages in this state: queued, accepted, sent, failed, unknown,"
                + " delivered, read, received.")
        String state;

        @Option(names = "--direction", paramLabel = "in|out", description = "Only inbound (in) or outbound (out) ones.")
        String direction;

        @Option(names = "--dest", paramLabel = "ID", description = "Only those of this customer (IGSID or PSID).")
        String dest;

        @Option(names = "--msg-id", paramLabel = "MSG_ID", description = "Only those with this msg_id (every attempt).")
        String msgId;

        @Option(names = "--since", paramLabel = "ISO", description = "Only those written at or after this instant,"
                + " e.g. 2026-12-01T10:00:00Z.")
        String since;

        @Option(names = "--until", paramLabel = "ISO", description = "Only those written before this instant.")
        String until;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many rows (1 to 10000; default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            MessageQuery query = new MessageQuery(Optional.ofNullable(account), Optional.ofNullable(line),
                    Optional.ofNullable(state), Optional.ofNullable(direction), Optional.ofNullable(dest),
                    Optional.ofNullable(msgId), Optional.ofNullable(since), Optional.ofNullable(until));
            op.operations().messages().list(query, Optional.empty(), limit).items().stream()
                    .map(MessageView::fields).forEach(op::print);
            return 0;
        }
    }

    @Command(name = "show", description = "One message by its cdls_id, as JSON.", mixinStandardHelpOptions = true)
    static final class Show implements Callable<Integer> {
        @ParentCommand
        LogCommand parent;

        @Parameters(paramLabel = "CDLS_ID", description = "The message's cdls_id.")
        long cdlsId;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            op.print(op.operations().messages().find(cdlsId).fields());
            return 0;
        }
    }
}
