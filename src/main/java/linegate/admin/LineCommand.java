package linegate.admin;

import linegate.api.Refusal;
import linegate.operators.LineEdit;
import linegate.operators.LineOutcome;
import linegate.operators.NewLineInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code linegate line create|update|list}: lines and their page access tokens (encrypted at rest, masked in output).
 * The checks and their messages are {@code linegate.operators}', the same as the admin API's.
 */
@Command(name = "line", description = "Manage lines (an Instagram account or a Facebook Page).",
        subcommands = {LineCommand.Create.class, LineCommand.Update.class, LineCommand.ListLines.class,
                HelpCommand.class},
        mixinStandardHelpOptions = true)
public final class LineCommand {
    static final String TOKEN_HELP = "The page access token (with --login instagram, the Instagram User access token);"
            + " '-' reads it from standard input (keeps it out of the shell history and the process list).";
    static final String SENDS_HELP = "The line's own send budget, 1 to 100000 sends a second over all nodes (audio and"
            + " video at most 10 of them); without it, LINEGATE_LINE_SENDS_PER_SECOND.";

    @ParentCommand
    OperatorCommands root;

    @Command(name = "create", description = "Create a line; prints {\"id\": N}, the line's app_id.",
            mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @ParentCommand
        LineCommand parent;

        @Option(names = "--account", required = true, description = "The account that owns the line.")
        long account;

        @Option(names = "--class", required = true, description = "instagram or messenger.")
        String lineClass;

        @Option(names = "--page-token", paramLabel = "PAT", description = TOKEN_HELP)
        String pageToken;

        @Option(names = "--ig-account-id", paramLabel = "ID", description = "The Instagram professional account id"
                + " (Instagram lines: Meta's webhooks name the line by it).")
        String igAccountId;

        @Option(names = "--page-id", paramLabel = "ID", description = "The Facebook Page id.")
        String pageId;

        @Option(names = "--inactive", description = "Create the line inactive.")
        boolean inactive;

        @Option(names = "--human-agent", description = "The app has Meta's Human Agent permission for this line.")
        boolean humanAgent;

        @Option(names = "--sends-per-second", paramLabel = "N", description = SENDS_HELP)
        String sendsPerSecond;

        @Option(names = "--login", paramLabel = "facebook|instagram", description = "How the token was granted:"
                + " facebook (a Page access token, the default) or instagram (Instagram Login: an Instagram User access"
                + " token for --ig-account-id, sent to graph.instagram.com and refreshed before it expires).")
        String login;

        @Option(names = "--token-expires", paramLabel = "INSTANT", description = "When the Instagram User token"
                + " expires, e.g. 2027-01-31T10:00:00Z (--login instagram only). Without it the expiry is taken as"
                + " unknown and the token is refreshed once it is 24 hours old.")
        String tokenExpires;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            LineOutcome created = op.operations().lines().create(new NewLineInput(Optional.of(account), lineClass,
                    token(pageToken), Optional.ofNullable(igAccountId), Optional.ofNullable(pageId), !inactive,
                    humanAgent, Optional.ofNullable(sendsPerSecond), Optional.ofNullable(login),
                    Optional.ofNullable(tokenExpires)));
            created.warnings().forEach(op::warn);
            op.print(Map.of("id", created.line().id()));
            return 0;
        }
    }

    @Command(name = "update", description = "Change a line; prints the line, token masked.", mixinStandardHelpOptions = true)
    static final class Update implements Callable<Integer> {
        @ParentCommand
        LineCommand parent;

        @Parameters(paramLabel = "ID", description = "The line's id (its app_id).")
        long id;

        @Option(names = "--page-token", paramLabel = "PAT", description = TOKEN_HELP)
        String pageToken;

        @Option(names = "--active", arity = "1", paramLabel = "true|false", description = "Activate or deactivate.")
        Boolean active;

        @Option(names = "--human-agent", arity = "1", paramLabel = "true|false",
                description = "Whether HUMAN_AGENT sends are allowed on this line.")
        Boolean humanAgent;

        @Option(names = "--sends-per-second", paramLabel = "N|default",
                description = SENDS_HELP + " 'default' puts the line back on LINEGATE_LINE_SENDS_PER_SECOND.")
        String sendsPerSecond;

        @Option(names = "--ig-account-id", paramLabel = "ID",
                description = "Set the Instagram professional account id.")
        String igAccountId;

        @Option(names = "--page-id", paramLabel = "ID", description = "Set the Facebook Page id.")
        String pageId;

        @Option(names = "--paused-until", paramLabel = "ISO|none", description = "Pause the line's sends to Meta until"
                + " this instant (direct sends answer 260, queued ones wait), or 'none' to resume now.")
        String pausedUntil;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            Optional<Optional<String>> pause = Optional.ofNullable(pausedUntil)
                    .map(p -> p.strip().equals("none") ? Optional.<String>empty() : Optional.of(p));
            LineOutcome updated = op.operations().lines().update(id, new LineEdit(token(pageToken),
                    Optional.ofNullable(active), Optional.ofNullable(humanAgent), Optional.ofNullable(sendsPerSecond),
                    Optional.ofNullable(igAccountId), Optional.ofNullable(pageId), pause));
            updated.warnings().forEach(op::warn);
            op.print(updated.line().commandFields());
            return 0;
        }
    }

    @Command(name = "list", description = "List lines, one JSON object a line, tokens masked.", mixinStandardHelpOptions = true)
    static final class ListLines implements Callable<Integer> {
        @ParentCommand
        LineCommand parent;

        @Option(names = "--account", description = "Only this account's lines.")
        Long account;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            op.operations().lines().all(Optional.ofNullable(account)).forEach(l -> op.print(l.commandFields()));
            return 0;
        }
    }

    /**
     * The {@code --page-token} option's value: the token itself, or with {@code -} the token typed at a terminal
     * prompt without echo, or the first line of standard input when it is not a terminal.
     */
    static Optional<String> token(String option) {
        if (option == null || !option.equals("-")) {
            return Optional.ofNullable(option);
        }
        String typed = terminal().map(LineCommand::prompted).orElseGet(LineCommand::firstLineOfStandardInput);
        return Optional.of(typed == null ? "" : typed);
    }

    /**
     * The console when standard input is a terminal, so that a pasted token is read without echo. Since JDK 22
     * {@code System.console()} is there also when input is redirected, and {@code Console.isTerminal()} (JDK 22, so
     * looked up here: Linegate builds for 21) says which; on JDK 21 a console exists only on a terminal.
     */
    private static Optional<java.io.Console> terminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return Optional.empty();
        }
        try {
            return Boolean.TRUE.equals(java.io.Console.class.getMethod("isTerminal").invoke(console))
                    ? Optional.of(console) : Optional.empty();
        } catch (ReflectiveOperationException jdk21) {
            return Optional.of(console);
        }
    }

    private static String prompted(java.io.Console console) {
        char[] typed = console.readPassword("Page access token (not shown): ");
        return typed == null ? null : new String(typed);
    }

    private static String firstLineOfStandardInput() {
        try {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw Refusal.invalid("cannot read the page access token from standard input");
        }
    }
}
