package linegate.admin;

import linegate.events.CallbackAddresses;
import linegate.events.CallbackSecrets;
import linegate.events.CallbackUrl;
import linegate.store.events.Callbacks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code linegate account create --name NAME} and {@code linegate account update ID --callback-url URL
 * | --rotate-secret}: the account's callbacks (docs/api.md, "Callbacks"). A signing secret is printed once, when it is
 * made, and stored sealed.
 */
@Command(name = "account", description = "Manage accounts (the businesses that own lines and tokens).",
        subcommands = {AccountCommand.Create.class, AccountCommand.Update.class}, mixinStandardHelpOptions = true)
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

    @Command(name = "update", description = "Set or remove the account's callback URL, or rotate its signing secret;"
            + " a new secret is printed only here.", mixinStandardHelpOptions = true)
    static final class Update implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Parameters(paramLabel = "ID", description = "The account's id.")
        long id;

        @Option(names = "--callback-url", paramLabel = "URL",
                description = "Where the account's events are posted (https://...); \"\" removes the URL and its secrets.")
        String callbackUrl;

        @Option(names = "--rotate-secret", description = "Print a new signing secret; the old one still signs for 24 hours.")
        boolean rotateSecret;

        @Override
        public Integer call() {
            if (callbackUrl == null && !rotateSecret) {
                throw new IllegalArgumentException("nothing to update: give --callback-url URL, --callback-url \"\" or"
                        + " --rotate-secret (see 'linegate account update --help')");
            }
            Operator op = parent.root.operator();
            Callbacks callbacks = op.stores().callbacks();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            if (callbackUrl != null && callbackUrl.isBlank()) {
                if (rotateSecret) {
                    throw new IllegalArgumentException("--rotate-secret needs a callback URL, and --callback-url \"\""
                            + " removes it: give one of the two");
                }
                callbacks.remove(id);
                out.put("callback_url", null);
                op.print(out);
                return 0;
            }
            boolean made = false;
            if (callbackUrl != null) {
                CallbackUrl url = CallbackUrl.parse(callbackUrl);
                CallbackAddresses addresses = op.callbackAddresses();
                addresses.resolve(url.host());
                op.stores().accounts().requireExists(id);
                String secret = CallbackSecrets.generate();
                made = callbacks.setUrl(id, url.toString(), secret);
                out.put("callback_url", url.toString());
                if (made) {
                    out.put("callback_secret", secret);
                }
            }
            if (rotateSecret && !made) {
                String secret = CallbackSecrets.generate();
                callbacks.rotate(id, secret);
                out.put("callback_secret", secret);
                out.put("previous_secret_valid_until", Instant.ofEpochMilli(op.clock().millis()
                        + Callbacks.ROTATION_OVERLAP.toMillis()).toString());
            }
            op.print(out);
            return 0;
        }
    }
}
