package linegate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Linegate's whole configuration, read from environment variables (docs/operations.md, "Configuration") and validated once at start-up.
 * Every command reads the same configuration. The master key is resolved when the database is first opened, not while
 * parsing, so {@code --help} and usage errors never create a key file.
 */
public record LinegateConfig(
        int port,
        DatabaseConfig database,
        URI graphUrl,
        String graphVersion,
        Duration graphTimeout,
        int graphMaxInFlight,
        int maxBodyBytes,
        int maxConcurrentRequests,
        Duration requestReadTimeout,
        int lineSendsPerSecond,
        int logBatchSize,
        Duration logBatchWait,
        Duration lookupRefresh,
        Duration eventRetention,
        Duration windowWarning,
        int usagePausePercent,
        Optional<Secret> appSecret,
        Optional<Secret> instagramAppSecret,
        Optional<Secret> verifyToken,
        Supplier<MasterKey> masterKey,
        CallbackConfig callbacks,
        QueueConfig queue,
        MediaConfig media,
        NetworkConfig network,
        LoggingConfig logging,
        TokenConfig tokens) {

    /**
     * The callbacks' settings (docs/operations.md, "Configuration"): whether URLs may resolve to private addresses,
     * requests in flight per account, the retry schedule's unit and how long an event is retried.
     */
    public record CallbackConfig(boolean allowPrivate, int concurrency, Duration retryBase, Duration maxAge) {
    }

    /**
     * Queued sends (docs/operations.md, "Configuration"): how long a queued send may wait before it fails with 262, the
     * retry back-off's unit, how many queued sends one node has in flight to Meta at once (the rest of the node's
     * Graph slots stay for direct sends), and how often an idle worker looks for due sends.
     */
    public record QueueConfig(Duration maxAge, Duration retryBase, int concurrency, Duration poll) {
    }

    /**
     * Media checks before Meta (docs/operations.md, "Configuration"; contract §11): whether they run, whether media
     * URLs may resolve to private addresses, and the whole check's time bound.
     */
    public record MediaConfig(boolean check, boolean allowPrivate, Duration timeout) {
    }

    /**
     * Where the node listens (docs/operations.md, "Management port"): the address of both ports, and the port that
     * serves {@code /metrics} and {@code /health*} instead of the main one, when set.
     */
    public record NetworkConfig(String bind, OptionalInt managementPort) {
    }

    /**
     * Linegate's own log (docs/operations.md, "Logs"): its level, one line of text or one JSON object per event, and
     * whether every send's outcome is logged at INFO.
     */
    public record LoggingConfig(String level, Format format, boolean sendLog) {
        public enum Format { TEXT, JSON }

        public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
    }

    /**
     * Instagram Login lines and the token work (docs/operations.md, "Instagram Login lines", "Line health"): the base
     * URL of graph.instagram.com, and how often every active line's token is checked ({@code Duration.ZERO}: never).
     */
    public record TokenConfig(URI instagramGraphUrl, Duration checkEvery) {
        public boolean checks() {
            return !checkEvery.isZero();
        }
    }

    /** Minutes between two checks of a line's token: a dead token is found within the hour, at a call a line an hour. */
    public static final int DEFAULT_TOKEN_CHECK_MINUTES = 60;

    public static final String DEFAULT_DB_URL = "jdbc:sqlite:./data/linegate.db";
    /**
     * Message log writes committed together at most; 1 is the plain design, one transaction per write. Batches fill
     * only as far as writes queue up during a commit; measured, 64 and 256 served alike, and 64 keeps one transaction
     * short. End to end (bench/README.md, three runs) group commit served 3.7 times the plain design's sends on SQLite
     * and 1.3 to 1.5 times on PostgreSQL, so both databases default to it.
     */
    public static final int DEFAULT_LOG_BATCH_SIZE = 64;
    /**
     * Requests in flight on one node beyond which it answers 503 at once; see docs/operations.md, "Memory". Sized to
     * the launcher's default heap (288 MB): 10,000 sends in flight fitted in it, 15,000 did not (the collector ran
     * back to back and the node answered nothing), so a larger default would let a burst take a default node down.
     */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 10_000;
    /**
     * How long a client may take to send one request's headers and body. A CRM on a working network sends a 64 KiB
     * body in well under a second; without a deadline a client trickling a header line every 20 s held a connection
     * (and its slot) for as long as it liked.
     */
    public static final int DEFAULT_REQUEST_READ_TIMEOUT_MS = 20_000;
    /**
     * Send API calls in flight at once on one node. With calls of 200 to 500 ms, 1000 carry 2,000 to 5,000 sends a
     * second, more than one node served in bench/README.md (about 1,200), while connections to Meta and the memory of
     * waiting calls stay bounded (unbounded, 10,000 sends at once opened about 10,000 connections and took 1.25 GB).
     */
    public static final int DEFAULT_GRAPH_MAX_IN_FLIGHT = 1000;
    /** Days events are kept (docs/api.md, "Events"): a feed reader or a redelivery reaches a week back. */
    public static final int DEFAULT_EVENT_RETENTION_DAYS = 7;
    /** The usage percentage (of any of Meta's usage headers) at which a line, or the app, pauses. */
    public static final int DEFAULT_USAGE_PAUSE_PERCENT = 95;
    /** How long before a customer's 24-hour window closes its conversation.window_closing event is written. */
    public static final int DEFAULT_WINDOW_WARNING_MINUTES = 60;

    /**
     * The secrets a webhook signature may be made with: the Meta app secret, and for apps on Instagram Login the
     * Instagram app secret (Meta does not document which one signs those deliveries).
     */
    public List<String> webhookSecrets() {
        return java.util.stream.Stream.of(appSecret, instagramAppSecret).flatMap(Optional::stream).map(Secret::value).toList();
    }

    public static LinegateConfig fromEnvironment(Map<String, String> env) {
        Env e = new Env(env);
        DatabaseConfig db = new DatabaseConfig(
                e.text("LINEGATE_DB_URL", DEFAULT_DB_URL),
                e.text("LINEGATE_DB_USER", ""),
                new Secret(e.text("LINEGATE_DB_PASSWORD", "")));
        URI graphUrl = e.httpUrl("LINEGATE_GRAPH_URL", "https://graph.facebook.com");
        String version = e.text("LINEGATE_GRAPH_VERSION", "v25.0");
        if (!version.matches("v\\d+\\.\\d+")) {
            throw new ConfigException("LINEGATE_GRAPH_VERSION must look like v25.0, got '" + version + "'");
        }
        Supplier<MasterKey> masterKey = masterKeySource(e.optional("LINEGATE_MASTER_KEY"), db);
        return new LinegateConfig(
                e.integer("LINEGATE_PORT", 8080, 0, 65535),
                db,
                graphUrl,
                version,
                Duration.ofMillis(e.integer("LINEGATE_GRAPH_TIMEOUT_MS", 10_000, 100, 120_000)),
                e.integer("LINEGATE_GRAPH_MAX_IN_FLIGHT", DEFAULT_GRAPH_MAX_IN_FLIGHT, 1, 100_000),
                e.integer("LINEGATE_MAX_BODY_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024),
                // each request in flight holds about 15 KB of heap (measured: 10,000 sends waiting on Meta fit in 192 MB)
                e.integer("LINEGATE_MAX_CONCURRENT_REQUESTS", DEFAULT_MAX_CONCURRENT_REQUESTS, 1, 1_000_000),
                Duration.ofMillis(e.integer("LINEGATE_REQUEST_READ_TIMEOUT_MS", DEFAULT_REQUEST_READ_TIMEOUT_MS, 100, 600_000)),
                e.integer("LINEGATE_LINE_SENDS_PER_SECOND", 100, 1, 100_000),
                e.integer("LINEGATE_LOG_BATCH_SIZE", DEFAULT_LOG_BATCH_SIZE, 1, 1_000),
                // no linger by default: measured, it slowed light load and helped only the tail of an overloaded node
                Duration.of(e.integer("LINEGATE_LOG_BATCH_WAIT_MICROS", 0, 0, 10_000), ChronoUnit.MICROS),
                // how soon a token or line changed elsewhere takes effect here (at most three times this: Lookups)
                Duration.ofMillis(e.integer("LINEGATE_LOOKUP_REFRESH_MS", 1_000, 50, 60_000)),
                // how long events (and applied webhook deliveries) are kept for the feed and for redelivery
                Duration.ofDays(e.integer("LINEGATE_EVENT_RETENTION_DAYS", DEFAULT_EVENT_RETENTION_DAYS, 1, 3650)),
                // 0 writes no warnings; at most a minute short of the whole window
                Duration.ofMinutes(e.integer("LINEGATE_WINDOW_WARNING_MINUTES", DEFAULT_WINDOW_WARNING_MINUTES, 0, 1439)),
                // a line (or the app) pauses when one of Meta's usage figures reaches this (contract §10)
                e.integer("LINEGATE_USAGE_PAUSE_PERCENT", DEFAULT_USAGE_PAUSE_PERCENT, 1, 100),
                e.optional("LINEGATE_APP_SECRET").map(Secret::new),
                e.optional("LINEGATE_INSTAGRAM_APP_SECRET").map(Secret::new),
                e.optional("LINEGATE_VERIFY_TOKEN").map(Secret::new),
                masterKey,
                new CallbackConfig(
                        e.bool("LINEGATE_CALLBACK_ALLOW_PRIVATE", false),
                        e.integer("LINEGATE_CALLBACK_CONCURRENCY", 8, 1, 256),
                        Duration.ofMillis(e.integer("LINEGATE_CALLBACK_RETRY_BASE_MS", 10_000, 1, 3_600_000)),
                        e.duration("LINEGATE_CALLBACK_MAX_AGE", Duration.ofHours(24))),
                new QueueConfig(
                        e.duration("LINEGATE_QUEUE_MAX_AGE", Duration.ofHours(1)),
                        Duration.ofMillis(e.integer("LINEGATE_QUEUE_RETRY_BASE_MS", 1_000, 1, 3_600_000)),
                        e.integer("LINEGATE_QUEUE_CONCURRENCY", 64, 1, 10_000),
                        Duration.ofMillis(e.integer("LINEGATE_QUEUE_POLL_MS", 50, 5, 60_000))),
                new MediaConfig(
                        e.bool("LINEGATE_MEDIA_CHECK", true),
                        e.bool("LINEGATE_MEDIA_ALLOW_PRIVATE", false),
                        // a send waits this long at most for its media URL's answer (redirects included)
                        Duration.ofMillis(e.integer("LINEGATE_MEDIA_CHECK_TIMEOUT_MS", 5_000, 100, 30_000))),
                new NetworkConfig(e.address("LINEGATE_BIND", "0.0.0.0"), e.optionalPort("LINEGATE_MANAGEMENT_PORT")),
                new LoggingConfig(
                        e.oneOf("LINEGATE_LOG_LEVEL", "INFO", LoggingConfig.LEVELS),
                        LoggingConfig.Format.valueOf(e.oneOf("LINEGATE_LOG_FORMAT", "TEXT", List.of("TEXT", "JSON"))),
                        e.bool("LINEGATE_SEND_LOG", true)),
                new TokenConfig(
                        e.httpUrl("LINEGATE_IG_GRAPH_URL", "https://graph.instagram.com"),
                        // 0 checks no token; at most once a week
                        Duration.ofMinutes(e.integer("LINEGATE_TOKEN_CHECK_MINUTES", DEFAULT_TOKEN_CHECK_MINUTES, 0,
                                10_080))));
    }

    /**
     * The effective configuration in one line, for the start-up log: where the database is (kind and host or file,
     * never its user or password), Meta's address, the ports and the limits, and which secrets are set (never their
     * values).
     */
    public String summary() {
        return "configuration: database " + database.describe()
                + "; Graph " + graphUrl + "/" + graphVersion + " (timeout " + graphTimeout.toMillis() + " ms, "
                + graphMaxInFlight + " calls in flight)"
                + "; listening on " + network.bind() + ":" + port + ", /metrics and /health on "
                + network.managementPort().stream().mapToObj(p -> "port " + p).findFirst().orElse("the same port")
                + "; limits: body " + maxBodyBytes + " bytes, " + maxConcurrentRequests + " requests in flight, read "
                + requestReadTimeout.toMillis() + " ms, " + lineSendsPerSecond + " sends/s per line, queue "
                + queue.concurrency() + " in flight, log batch " + logBatchSize
                + "; webhooks: app secret " + setOrNot(appSecret) + ", Instagram app secret " + setOrNot(instagramAppSecret)
                + ", verify token " + setOrNot(verifyToken)
                + "; media checks " + (media.check() ? "on" : "off")
                + "; Instagram Login Graph " + tokens.instagramGraphUrl() + ", token check "
                + (tokens.checks() ? "every " + tokens.checkEvery().toMinutes() + " min" : "off")
                + "; log " + logging.level() + " " + logging.format().name().toLowerCase(java.util.Locale.ROOT)
                + ", send log " + (logging.sendLog() ? "on" : "off");
    }

    private static String setOrNot(Optional<Secret> secret) {
        return secret.isPresent() ? "set" : "not set";
    }

    private static Supplier<MasterKey> masterKeySource(Optional<String> given, DatabaseConfig db) {
        if (given.isPresent()) {
            MasterKey key = MasterKey.fromBase64(given.get()); // validate now: bad config stops start-up
            return () -> key;
        }
        if (!db.embedded()) {
            throw new ConfigException("LINEGATE_MASTER_KEY is required with a PostgreSQL database (every node must share"
                    + " it): generate one with 'openssl rand -base64 32' and set it on every node");
        }
        Path folder = db.sqliteFile().map(Path::toAbsolutePath).map(Path::getParent).orElse(Path.of("data").toAbsolutePath());
        return new KeyFile(folder);
    }

    /** The embedded database's key file, read (or generated) on first use. */
    private static final class KeyFile implements Supplier<MasterKey> {
        private final Path folder;
        private MasterKey key;

        KeyFile(Path folder) {
            this.folder = folder;
        }

        @Override
        public synchronized MasterKey get() {
            if (key == null) {
                key = MasterKey.loadOrCreate(folder);
            }
            return key;
        }
    }

    /** Where the master key comes from, for messages: the variable, or the embedded database's key file. */
    public String masterKeyOrigin() {
        return masterKey instanceof KeyFile file ? "the key file " + file.folder.resolve(MasterKey.FILE_NAME)
                + " (generated there when it is missing; LINEGATE_MASTER_KEY unset)" : "LINEGATE_MASTER_KEY";
    }

    /** Typed reads of environment variables; every failure names the variable and a valid example. */
    private record Env(Map<String, String> env) {
        Optional<String> optional(String name) {
            if (!ConfigVariables.declared(name)) {
                throw new IllegalStateException(name + " is read but not declared in config.ConfigVariables: declare it"
                        + " there, and document it in docs/operations.md");
            }
            String v = env.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String text(String name, String fallback) {
            return optional(name).orElse(fallback);
        }

        int integer(String name, int fallback, int min, int max) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.get());
                if (n < min || n > max) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException ex) {
                throw new ConfigException(name + " must be a whole number from " + min + " to " + max + ", got '"
                        + v.get() + "' (default " + fallback + ")");
            }
        }

        boolean bool(String name, boolean fallback) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return fallback;
            }
            return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigException(name + " must be true or false, got '" + v.get() + "' (default "
                        + fallback + ")");
            };
        }

        /** One of {@code values}, given in any case; the value as written in {@code values}. */
        String oneOf(String name, String fallback, List<String> values) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return fallback;
            }
            String upper = v.get().toUpperCase(java.util.Locale.ROOT);
            if (!values.contains(upper)) {
                throw new ConfigException(name + " must be one of " + String.join(", ", values).toLowerCase(
                        java.util.Locale.ROOT) + ", got '" + v.get() + "' (default " + fallback.toLowerCase(
                        java.util.Locale.ROOT) + ")");
            }
            return upper;
        }

        OptionalInt optionalPort(String name) {
            return optional(name).isEmpty() ? OptionalInt.empty() : OptionalInt.of(integer(name, 0, 1, 65535));
        }

        /**
         * A literal IP address, v4 or v6 (a host name would be resolved once, at start, and could later point
         * elsewhere).
         */
        String address(String name, String fallback) {
            String v = text(name, fallback);
            String bare = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
            if (!IPV4.matcher(bare).matches() && !(bare.contains(":") && literalV6(bare))) {
                throw new ConfigException(name + " must be an IP address to listen on, such as 0.0.0.0 (every address),"
                        + " 127.0.0.1 or ::, got '" + v + "' (default " + fallback + ")");
            }
            return bare;
        }

        private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
                "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

        /** A string with a colon is parsed as an IPv6 literal, never looked up in DNS. */
        private static boolean literalV6(String ip) {
            if (!ip.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+")) {
                return false;
            }
            try {
                return java.net.InetAddress.getByName(ip) instanceof java.net.Inet6Address;
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }

        Duration duration(String name, Duration fallback) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return fallback;
            }
            try {
                Duration d = Duration.parse(v.get());
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException();
                }
                return d;
            } catch (RuntimeException ex) {
                throw new ConfigException(name + " must be a positive ISO-8601 duration such as PT24H or PT30M, got '"
                        + v.get() + "' (default " + fallback + ")");
            }
        }

        URI httpUrl(String name, String fallback) {
            String v = text(name, fallback);
            try {
                URI uri = new URI(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                return uri;
            } catch (Exception ex) {
                throw new ConfigException(name + " must be an http(s) URL such as " + fallback + ", got '" + v + "'");
            }
        }
    }

    @Override
    public String toString() {
        return "LinegateConfig[port=" + port + ", database=" + database + ", graphUrl=" + graphUrl + ", graphVersion="
                + graphVersion + ", graphTimeout=" + graphTimeout + ", graphMaxInFlight=" + graphMaxInFlight
                + ", maxBodyBytes=" + maxBodyBytes + ", maxConcurrentRequests=" + maxConcurrentRequests
                + ", requestReadTimeout=" + requestReadTimeout
                + ", lineSendsPerSecond=" + lineSendsPerSecond + ", logBatchSize=" + logBatchSize + ", logBatchWait="
                + logBatchWait + ", lookupRefresh=" + lookupRefresh + ", eventRetention=" + eventRetention + ", appSecret=" + appSecret.map(s -> "[REDACTED]")
                + ", instagramAppSecret=" + instagramAppSecret.map(s -> "[REDACTED]")
                + ", verifyToken=" + verifyToken.map(s -> "[REDACTED]") + ", callbacks=" + callbacks
                + ", queue=" + queue + ", media=" + media + ", network=" + network + ", logging=" + logging
                + ", tokens=" + tokens + "]";
    }
}
