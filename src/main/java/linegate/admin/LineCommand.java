package linegate.admin;

import linegate.store.Line;
import linegate.store.LineChanges;
import linegate.store.LineClass;
import linegate.store.LineLogin;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** {@code linegate line create|update|list}: lines and their page access tokens (encrypted at rest, masked in output). */
@Command(name = "line", description = "Manage lines (an Instagram account or a Facebook Page).",
        subcommands = {LineCommand.Create.class, LineCommand.Update.class, LineCommand.ListLines.class},
        mixinStandardHelpOptions = true)
public final class LineCommand {
    static final String TOKEN_HELP = "The page access token (with --login instagram, the Instagram User access token);"
            + " '-' reads it from standard input (keeps it out of the"
            + " shell history and the process list).";

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

        @Option(names = "--ig-account-id", paramLabel = "ID", description = "The Instagram professional account id.")
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
            OptionalInt budget = sendsPerSecond == null ? OptionalInt.empty() : budget(sendsPerSecond);
            long id = op.stores().lines().create(new NewLine(account, lineClass(lineClass), token(pageToken),
                    Optional.ofNullable(igAccountId), Optional.ofNullable(pageId), !inactive, humanAgent,
                    login(login), Optional.ofNullable(tokenExpires).map(LineCommand::expiry)), budget);
            op.print(Map.of("id", id));
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

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            Optional<OptionalInt> budget = Optional.ofNullable(sendsPerSecond)
                    .map(v -> v.strip().equals("default") ? OptionalInt.empty() : budget(v));
            LineChanges changes = new LineChanges(token(pageToken), Optional.ofNullable(active), Optional.ofNullable(humanAgent),
                    budget);
            if (changes.isEmpty()) {
                throw new IllegalArgumentException("nothing to change: give --page-token, --active, --human-agent or"
                        + " --sends-per-second");
            }
            Line line = op.stores().lines().update(id, changes);
            op.print(Json.line(line));
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
            op.stores().lines().list(Optional.ofNullable(account)).forEach(l -> op.print(Json.line(l)));
            return 0;
        }
    }

    /** Any class the store keeps lines of, by its name ({@code instagram}, {@code messenger}). */
    static LineClass lineClass(String text) {
        String name = text.strip().toLowerCase(java.util.Locale.ROOT);
        return java.util.Arrays.stream(LineClass.values()).filter(c -> c.dbValue().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--class must be " + String.join(" or ",
                        java.util.Arrays.stream(LineClass.values()).map(LineClass::dbValue).toList())
                        + ", got '" + text + "'"));
    }

    /** A {@code --login} value; without one, facebook (every line before Instagram Login existed). */
    static LineLogin login(String text) {
        if (text == null) {
            return LineLogin.FACEBOOK;
        }
        String name = text.strip().toLowerCase(java.util.Locale.ROOT);
        return java.util.Arrays.stream(LineLogin.values()).filter(l -> l.dbValue().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--login must be facebook or instagram, got '"
                        + (name.length() > 20 ? name.substring(0, 20) + "…" : name) + "'"));
    }

    /** A {@code --token-expires} value: an ISO-8601 instant in UTC. */
    static Instant expiry(String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--token-expires must be an ISO-8601 instant such as"
                    + " 2027-01-31T10:00:00Z, got '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'");
        }
    }

    static final String SENDS_HELP = "The line's own send budget, 1 to 100000 sends a second over all nodes (audio and"
            + " video at most 10 of them); without it, LINEGATE_LINE_SENDS_PER_SECOND.";

    /** A {@code --sends-per-second} value: a whole number from 1 to 100,000. */
    static OptionalInt budget(String text) {
        String value = text.strip();
        if (!value.matches("[0-9]{1,6}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 100_000) {
            throw new IllegalArgumentException("--sends-per-second must be a whole number from 1 to 100000"
                    + " (or 'default' with line update), got '" + (value.length() > 20 ? value.substring(0, 20) + "…" : value) + "'");
        }
        return OptionalInt.of(Integer.parseInt(value));
    }

    static Optional<PageAccessToken> token(String option) {
        if (option == null) {
            return Optional.empty();
        }
        String value = option;
        if (option.equals("-")) {
            try {
                value = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the page access token from standard input");
            }
        }
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--page-token is empty");
        }
        if (value.strip().chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("--page-token has spaces or control characters: paste the token alone");
        }
        return Optional.of(new PageAccessToken(value));
    }
}
