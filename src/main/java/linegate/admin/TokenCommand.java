package linegate.admin;

import linegate.operators.TokenView;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code linegate token create|list|revoke}: API tokens ({@code tsid}). The token is printed once and stored only as a
 * hash; the list shows label, creation, last use and revocation, never the token.
 */
@Command(name = "token", description = "Manage API tokens (tsid).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class,
                HelpCommand.class},
        mixinStandardHelpOptions = true)
public final class TokenCommand {
    @ParentCommand
    OperatorCommands root;

    @Command(name = "create", description = "Create a token; prints {\"id\": N, \"tsid\": \"...\"}. The tsid is shown only here.",
            mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @ParentCommand
        TokenCommand parent;

        @Option(names = "--account", required = true, description = "The account the token acts for.")
        long account;

        @Option(names = "--label", description = "A note for the operator, e.g. the CRM that uses it.")
        String label;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            op.print(op.operations().tokens().create(account, label).fields());
            return 0;
        }
    }

    @Command(name = "list", description = "The account's tokens, oldest first, one JSON object a line: id,"
            + " label, created_at, last_used_at (to within a minute), revoked. Never the token.",
            mixinStandardHelpOptions = true)
    static final class ListTokens implements Callable<Integer> {
        static final int PAGE = 500;

        @ParentCommand
        TokenCommand parent;

        @Option(names = "--account", required = true, description = "The account whose tokens are listed.")
        long account;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            Optional<String> cursor = Optional.empty();
            do {
                var page = op.operations().tokens().list(account, cursor, PAGE);
                page.items().stream().map(TokenView::fields).forEach(op::print);
                cursor = page.next();
            } while (cursor.isPresent());
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a token; prints {\"id\": N, \"revoked\": true}.",
            mixinStandardHelpOptions = true)
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        TokenCommand parent;

        @Parameters(paramLabel = "ID", description = "The token's id (not the tsid).")
        long id;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            op.operations().tokens().revoke(id);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("revoked", true);
            op.print(out);
            return 0;
        }
    }
}
