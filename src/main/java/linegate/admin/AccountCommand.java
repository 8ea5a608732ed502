package linegate.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code linegate account create --name NAME}. */
@Command(name = "account", description = "Manage accounts (the businesses that own lines and tokens).",
        subcommands = AccountCommand.Create.class, mixinStandardHelpOptions = true)
public final class AccountCommand {
    @ParentCommand
    OperatorCommands root;

    @Command(name = "create", description = "Create an account; prints {\"id\": N}.", mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Option(names = "--name", required = true, description = "The account's name.")
        String name;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            long id = op.stores().accounts().create(name);
            op.print(Map.of("id", id));
            return 0;
        }
    }
}
