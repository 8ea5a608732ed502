package linegate.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving processes one test starts ({@link Processes}), in its folder: each killed when the test ends, whatever
 * happened to it. For the tests that kill a node (SIGKILL) where durability is claimed.
 */
public final class ServedNodes implements AutoCloseable {
    private final Path dir;
    private final List<Process> started = new ArrayList<>();

    public ServedNodes(Path dir) {
        this.dir = dir;
    }

    /**
     * The variables of a node on the embedded database file {@code dir/data/linegate.db}, with the tests' master key,
     * calling Meta at {@code graphUrl}; a map the test may add to.
     */
    public static Map<String, String> sqliteEnv(Path dir, String graphUrl) {
        return new HashMap<>(Map.of(
                "LINEGATE_DB_URL", "jdbc:sqlite:" + dir.resolve("data/linegate.db"),
                "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY,
                "LINEGATE_GRAPH_URL", graphUrl));
    }

    /** {@code linegate serve} with only these variables, its output in {@code dir/log}. */
    public Process serve(Map<String, String> env, String log) throws IOException {
        Process p = Processes.start(dir, env, dir.resolve(log), List.of(), "serve");
        started.add(p);
        return p;
    }

    @Override
    public void close() {
        started.forEach(p -> p.toHandle().destroyForcibly());
    }
}
