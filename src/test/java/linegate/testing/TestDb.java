package linegate.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The two databases every store and end-to-end test runs on. */
public enum TestDb {
    SQLITE, POSTGRESQL;

    /** A fixed test master key (base64 of 32 bytes). */
    public static final String MASTER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    /** LINEGATE_DB_* variables for a fresh, empty database of this kind. */
    public Map<String, String> freshEnv(Path tempDir) {
        Map<String, String> env = new HashMap<>();
        if (this == SQLITE) {
            env.put("LINEGATE_DB_URL", "jdbc:sqlite:" + tempDir.resolve("linegate.db"));
        } else {
            env.put("LINEGATE_DB_URL", Postgres.freshDatabaseUrl());
            env.put("LINEGATE_DB_USER", "postgres");
        }
        env.put("LINEGATE_MASTER_KEY", MASTER_KEY);
        return env;
    }
}
