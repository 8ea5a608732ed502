package linegate.admin;

import linegate.store.Tokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code linegate token create|revoke}: API tokens ({@code tsid}). The token is printed once and stored only as a hash. */
@Command(name = "token", description = "Manage API tokens (tsid).",
        subcommands = {TokenCommand.Create.class, TokenCommand.Revoke.class}, mixinStandardHelpOptions = true)
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
            Tokens.Created created = op.stores().tokens().create(account, label);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", created.id());
            out.put("tsid", created.tsid());
            op.print(out);
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
            op.stores().tokens().revoke(id);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("revoked", true);
            op.print(out);
            return 0;
        }
    }
}
