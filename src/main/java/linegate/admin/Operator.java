package linegate.admin;

import linegate.config.LinegateConfig;
import linegate.store.Stores;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What every operator's command gets from the root command: the environment it reads its configuration from, where to
 * print, and the stores, opened on first use against the same database as a running server.
 */
public final class Operator implements AutoCloseable {
    private final Map<String, String> env;
    private final PrintStream out;
    private final Clock clock;
    private LinegateConfig config;
    private Stores stores;

    public Operator(Map<String, String> env, PrintStream out, Clock clock) {
        this.env = env;
        this.out = out;
        this.clock = clock;
    }

    public LinegateConfig config() {
        if (config == null) {
            config = LinegateConfig.fromEnvironment(env);
        }
        return config;
    }

    public Stores stores() {
        if (stores == null) {
            var db = config().database();
            stores = Stores.open(db.url(), db.user(), db.password().value(), config().masterKey().get().bytes(), clock);
        }
        return stores;
    }

    public Clock clock() {
        return clock;
    }

    void print(Map<String, ?> object) {
        out.println(Json.write(object));
    }

    @Override
    public void close() {
        if (stores != null) {
            stores.close();
        }
    }
}
