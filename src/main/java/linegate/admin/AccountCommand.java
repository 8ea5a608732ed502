package linegate.admin;

import linegate.operators.AccountChange;
import linegate.operators.AccountView;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code linegate account create|list|update}: accounts, and their callbacks (docs/api.md, "Callbacks"). A signing
 * secret is printed once, when it is made, and stored sealed. The checks are {@code linegate.operators}', the same
 * as the admin API's.
 */
@Command(name = "account", description = "Manage accounts (the businesses that own lines and tokens).",
        subcommands = {AccountCommand.Create.class, AccountCommand.ListAccounts.class, AccountCommand.Update.class,
                HelpCommand.class},
        mixinStandardHelpOptions = true)
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
            op.print(Map.of("id", op.operations().accounts().create(name).id()));
            return 0;
        }
    }

    @Command(name = "list", description = "Accounts in id order, one JSON object a line: id, name, callback_url,"
            + " created_at, dead_events (never a secret).", mixinStandardHelpOptions = true)
    static final class ListAccounts implements Callable<Integer> {
        static final int PAGE = 500;

        @ParentCommand
        AccountCommand parent;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            Optional<String> cursor = Optional.empty();
            do {
                var page = op.operations().accounts().list(cursor, PAGE);
                page.items().stream().map(AccountView::fields).forEach(op::print);
                cursor = page.next();
            } while (cursor.isPresent());
            return 0;
        }
    }

    @Command(name = "update", description = "Rename the account, set or remove its callback URL, or rotate its signing"
            + " secret; a new secret is printed only here.", mixinStandardHelpOptions = true)
    static final class Update implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Parameters(paramLabel = "ID", description = "The account's id.")
        long id;

        @Option(names = "--name", description = "A new name.")
        String name;

        @Option(names = "--callback-url", paramLabel = "URL",
                description = "Where the account's events are posted (https://...); \"\" removes the URL and its secrets.")
        String callbackUrl;

        @Option(names = "--rotate-secret", description = "Print a new signing secret; the old one still signs for 24 hours.")
        boolean rotateSecret;

        @Override
        public Integer call() {
            Operator op = parent.root.operator();
            var updated = op.operations().accounts().update(id, new AccountChange(Optional.ofNullable(name),
                    Optional.ofNullable(callbackUrl), rotateSecret));
            Map<String, Object> out = updated.commandFields();
            if (name != null) {
                out.put("name", updated.account().name());
            }
            op.print(out);
            return 0;
        }
    }
}
