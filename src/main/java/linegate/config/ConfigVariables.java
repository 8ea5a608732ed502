package linegate.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every {@code LINEGATE_*} variable there is, in one place. {@link LinegateConfig#fromEnvironment} refuses to read a
 * name that is not declared here, so a new variable cannot be read without being declared; the start-up warning about
 * unknown variables ({@link #unknown}) and the docs test (every declared name is in docs/operations.md) read the same
 * list. A new variable is one line in {@link #READ}, its read in {@link LinegateConfig}, and its row in the docs.
 */
public final class ConfigVariables {
    /** What {@link LinegateConfig#fromEnvironment} reads (ConfigVariablesTest checks that it reads each of them). */
    static final Set<String> READ = Set.of(
            "LINEGATE_PORT", "LINEGATE_BIND", "LINEGATE_MANAGEMENT_PORT",
            "LINEGATE_DB_URL", "LINEGATE_DB_USER", "LINEGATE_DB_PASSWORD", "LINEGATE_MASTER_KEY",
            "LINEGATE_GRAPH_URL", "LINEGATE_GRAPH_VERSION", "LINEGATE_GRAPH_TIMEOUT_MS", "LINEGATE_GRAPH_MAX_IN_FLIGHT",
            "LINEGATE_MAX_BODY_BYTES", "LINEGATE_MAX_CONCURRENT_REQUESTS", "LINEGATE_REQUEST_READ_TIMEOUT_MS",
            "LINEGATE_LINE_SENDS_PER_SECOND", "LINEGATE_LOG_BATCH_SIZE", "LINEGATE_LOG_BATCH_WAIT_MICROS",
            "LINEGATE_LOOKUP_REFRESH_MS", "LINEGATE_EVENT_RETENTION_DAYS", "LINEGATE_WINDOW_WARNING_MINUTES",
            "LINEGATE_USAGE_PAUSE_PERCENT",
            "LINEGATE_APP_SECRET", "LINEGATE_INSTAGRAM_APP_SECRET", "LINEGATE_VERIFY_TOKEN",
            "LINEGATE_CALLBACK_ALLOW_PRIVATE", "LINEGATE_CALLBACK_CONCURRENCY", "LINEGATE_CALLBACK_RETRY_BASE_MS",
            "LINEGATE_CALLBACK_MAX_AGE",
            "LINEGATE_QUEUE_MAX_AGE", "LINEGATE_QUEUE_RETRY_BASE_MS", "LINEGATE_QUEUE_CONCURRENCY", "LINEGATE_QUEUE_POLL_MS",
            "LINEGATE_MEDIA_CHECK", "LINEGATE_MEDIA_ALLOW_PRIVATE", "LINEGATE_MEDIA_CHECK_TIMEOUT_MS",
            "LINEGATE_IG_GRAPH_URL", "LINEGATE_TOKEN_CHECK_MINUTES",
            "LINEGATE_LOG_LEVEL", "LINEGATE_LOG_FORMAT", "LINEGATE_SEND_LOG");

    /**
     * Read around the JVM, not by it: the launcher ({@code ./linegate}), the container's entrypoint (which turns the
     * {@code _FILE} ones into their variables and unsets them) and the image build. Known, so never warned about.
     */
    static final Set<String> LAUNCHER = Set.of("LINEGATE_JAVA_OPTS", "LINEGATE_MASTER_KEY_FILE",
            "LINEGATE_DB_PASSWORD_FILE", "LINEGATE_COMMIT");

    private static final String PREFIX = "LINEGATE_";

    private ConfigVariables() {
    }

    /** Every declared name, sorted. */
    public static Set<String> all() {
        Set<String> all = new TreeSet<>(READ);
        all.addAll(LAUNCHER);
        return all;
    }

    static boolean declared(String name) {
        return READ.contains(name) || LAUNCHER.contains(name);
    }

    /**
     * One warning per {@code LINEGATE_*} name in {@code env} that Linegate does not know, with the nearest known name
     * when one is near: a misspelt variable is otherwise silently ignored and its default used. Names only, never
     * values (a misspelt password variable holds a password).
     */
    public static List<String> unknown(Map<String, String> env) {
        List<String> warnings = new ArrayList<>();
        new TreeSet<>(env.keySet()).stream().filter(n -> n.startsWith(PREFIX) && !declared(n)).forEach(name ->
                warnings.add(name + " is not a Linegate variable and is ignored" + nearest(name)
                        .map(n -> ": did you mean " + n + "?").orElse(" (docs/operations.md, \"Configuration\", lists"
                                + " every variable)")));
        return warnings;
    }

    /**
     * The declared name nearest to {@code name} by edit distance (transpositions count one) over the part after
     * {@code LINEGATE_}, when it is at most half the longer part: LINEGATE_DATABASE_URL finds LINEGATE_DB_URL,
     * LINEGATE_PROT finds LINEGATE_PORT, and LINEGATE_SOMETHING_ELSE finds nothing.
     */
    static Optional<String> nearest(String name) {
        String given = name.substring(PREFIX.length());
        return all().stream()
                .map(known -> new Candidate(known, distance(given, known.substring(PREFIX.length()))))
                .filter(c -> c.distance() * 2 <= Math.max(given.length(), c.name().length() - PREFIX.length()))
                .min(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name))
                .map(Candidate::name);
    }

    private record Candidate(String name, int distance) {
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
