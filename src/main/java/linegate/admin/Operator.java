package linegate.admin;

import linegate.events.CallbackAddresses;
import linegate.operators.Operations;
import linegate.store.Stores;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What every operator's command gets from the root command: where to print (and warn), the clock, and the stores,
 * opened on first use against the same database as a running server, with the operations over them. The root opens
 * them from the configuration, so a command that needs no database (help, usage errors) reads no configuration.
 */
public final class Operator implements AutoCloseable {
    private final Supplier<Stores> openStores;
    private final Supplier<CallbackAddresses> callbackAddresses;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private Stores stores;
    private Operations operations;

    /** {@code openStores} is called at most once, by the first command that needs the database. */
    public Operator(Supplier<Stores> openStores, Supplier<CallbackAddresses> callbackAddresses, PrintStream out,
                    PrintStream err, Clock clock) {
        this.openStores = openStores;
        this.callbackAddresses = callbackAddresses;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public Stores stores() {
        if (stores == null) {
            stores = openStores.get();
        }
        return stores;
    }

    /** The operations the admin API shares, over {@link #stores()}. */
    public Operations operations() {
        if (operations == null) {
            operations = Operations.over(stores(), callbackAddresses, clock);
        }
        return operations;
    }

    /** Where a callback URL may point, by the same rule as the delivery (LINEGATE_CALLBACK_ALLOW_PRIVATE). */
    public CallbackAddresses callbackAddresses() {
        return callbackAddresses.get();
    }

    public Clock clock() {
        return clock;
    }

    void print(Map<String, ?> object) {
        out.println(Json.write(object));
    }

    /** A warning on stderr, one line: the command did what it was asked, but the result may not work as meant. */
    void warn(String message) {
        err.println("linegate: warning: " + message);
    }

    @Override
    public void close() {
        if (stores != null) {
            stores.close();
        }
    }
}
