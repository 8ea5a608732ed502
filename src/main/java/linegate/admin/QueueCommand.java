package linegate.admin;

import linegate.api.Refusal;
import linegate.api.StatusCode;
import linegate.send.MessageView;
import linegate.store.LogRow;
import linegate.store.LogState;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code linegate queue list|cancel}: queued sends (async=1) not yet final, and cancelling one before it is sent. */
@Command(name = "queue", description = "Inspect queued sends and cancel one before it is sent.",
        subcommands = {QueueCommand.List.class, QueueCommand.Cancel.class,
                HelpCommand.class}, mixinStandardHelpOptions = true)
public final class QueueCommand {
    @ParentCommand
    OperatorCommands root;

    @Command(name = "list", description = "Queued sends not yet final (queued, or in flight to Meta), oldest first,"
            + " one JSON object a line.", mixinStandardHelpOptions = true)
    static final class List implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;

        @Option(names = "--account", description = "Only this account's queued sends.")
        Long account;

        @Option(names = "--line", description = "Only this line's (its app_id).")
        Long line;

        @Option(names = "--limit", defaultValue = "1000",
                description = "At most this many (1-100000; default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 100_000) {
                throw Refusal.invalid("limit (--limit) must be from 1 to 100000, got " + limit);
            }
            Operator op = parent.root.operator();
            var rows = op.stores().queue().list(Optional.ofNullable(account), Optional.ofNullable(line), limit);
            for (LogRow row : rows) {
                Map<String, Object> m = new LinkedHashMap<>(MessageView.of(row).fields());
                m.put("next_attempt_at", row.state() == LogState.QUEUED
                        ? row.nextAttemptAt().map(t -> Instant.ofEpochMilli(t).toString()).orElse(null) : null);
                m.put("last_retry_reason", row.retryReason().orElse(null));
                op.print(m);
            }
            return 0;
        }
    }

    @Command(name = "cancel", description = "Fail a still-queued send with 263 (Cancelled); its message.status event"
            + " says so. A send already in flight to Meta cannot be cancelled.", mixinStandardHelpOptions = true)
    static final class Cancel implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;

        @Parameters(paramLabel = "CDLS_ID", description = "The queued send's cdls_id.")
        long cdlsId;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            if (op.stores().queue().cancel(cdlsId, op.clock().millis()).isEmpty()) {
                String state = op.stores().log().find(cdlsId).map(r -> r.state().dbValue()).orElse(null);
                throw new IllegalArgumentException(state == null ? "message " + cdlsId + " does not exist"
                        : "message " + cdlsId + " is not queued (its state is " + state + "): only a queued send"
                        + " that no worker has taken up can be cancelled; see 'linegate queue list'");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cdls_id", cdlsId);
            m.put("state", LogState.FAILED.dbValue());
            m.put("status_code", StatusCode.CANCELLED.code());
            op.print(m);
            return 0;
        }
    }
}
