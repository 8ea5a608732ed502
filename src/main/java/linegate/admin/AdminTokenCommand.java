package linegate.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/**
 * {@code linegate admin-token create|list|revoke}: the operators' tokens for the admin API and the console
 * (docs/operations.md, "Admin API"). The token is printed once and stored only as a hash.
 */
@Command(name = "admin-token", description = "Manage admin tokens (lga_...) for /admin/v1 and the web console.",
        subcommands = {AdminTokenCommand.Create.class, AdminTokenCommand.ListTokens.class,
                AdminTokenCommand.Revoke.class,
                HelpCommand.class},
        mixinStandardHelpOptions = true)
public final class AdminTokenCommand {
    @ParentCommand
    OperatorCommands root;

    @Command(name = "create", description = "Create an admin token; prints {\"id\": N, \"token\": \"lga_...\"}."
            + " The token is shown only here.", mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @ParentCommand
        AdminTokenCommand parent;

        @Option(names = "--label", required = true, description = "Who or what uses it, e.g. the operator's name.")
        String label;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            op.print(op.operations().adminTokens().create(label).fields());
            return 0;
        }
    }

    @Command(name = "list", description = "Admin tokens, one JSON object a line (never the token).",
            mixinStandardHelpOptions = true)
    static final class ListTokens implements Callable<Integer> {
        @ParentCommand
        AdminTokenCommand parent;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            op.operations().adminTokens().list().forEach(t -> op.print(t.fields()));
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke an admin token and end its console sessions; prints the token as"
            + " listed.", mixinStandardHelpOptions = true)
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        AdminTokenCommand parent;

        @Parameters(paramLabel = "ID", description = "The admin token's id (not the token).")
        long id;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            op.print(op.operations().adminTokens().revoke(id).fields());
            return 0;
        }
    }
}
