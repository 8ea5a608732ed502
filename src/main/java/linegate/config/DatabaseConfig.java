package linegate.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the database is. {@code jdbc:sqlite:} URLs are the embedded mode; {@code jdbc:postgresql:} URLs the scaled one.
 * Which database it is, the store reads from the same URL ({@code linegate.store.Database.Kind}); configuration needs
 * only to know whether it is the embedded one.
 */
public record DatabaseConfig(String url, String user, Secret password) {
    public DatabaseConfig {
        if (url.matches("(?i)postgres(ql)?://.*")) {
            throw new ConfigException("LINEGATE_DB_URL must be a JDBC URL, got '" + redactUrl(url) + "': write"
                    + " jdbc:postgresql://host:5432/dbname, with the user and password in LINEGATE_DB_USER and"
                    + " LINEGATE_DB_PASSWORD");
        }
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("LINEGATE_DB_URL must start with jdbc:sqlite: or jdbc:postgresql:, got '"
                    + redactUrl(url) + "': e.g. jdbc:sqlite:./data/linegate.db or jdbc:postgresql://host:5432/linegate");
        }
        if (USER_INFO.matcher(url).find()) {
            // PostgreSQL's JDBC driver reads "user:password@host" as a host name, and says so with the password in it
            throw new ConfigException("LINEGATE_DB_URL must not hold a user or password before the host, got '"
                    + redactUrl(url) + "': give them in LINEGATE_DB_USER and LINEGATE_DB_PASSWORD");
        }
    }

    /** The user (and password) of a URL's authority: {@code //user:password@host}. */
    private static final Pattern USER_INFO = Pattern.compile("//([^/?#@]*)@");

    /** True for the embedded SQLite database, which serves one node; false for PostgreSQL, which several share. */
    public boolean embedded() {
        return url.startsWith("jdbc:sqlite:");
    }

    /** The SQLite database file, when embedded and file-backed. */
    public Optional<Path> sqliteFile() {
        if (!embedded()) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isEmpty() || rest.equals(":memory:") || rest.contains("mode=memory")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(rest));
    }

    /** The URL with any password parameter and any user and password before the host removed, for messages. */
    public static String redactUrl(String url) {
        return USER_INFO.matcher(url.replaceAll("(?i)(password=)[^&;]*", "$1[REDACTED]")).replaceAll("//[REDACTED]@");
    }

    /**
     * Which database this is, for the start-up line and the commands: the SQLite file (absolute), or PostgreSQL's
     * host, port and database name. Never the user, the password or the URL's parameters.
     */
    public String describe() {
        if (embedded()) {
            return "sqlite " + sqliteFile().map(f -> f.toAbsolutePath().normalize().toString()).orElse("(in memory)");
        }
        String rest = url.substring("jdbc:postgresql:".length());
        int q = rest.indexOf('?');
        String place = (q >= 0 ? rest.substring(0, q) : rest).replaceFirst("^//", "");
        return "postgresql " + USER_INFO.matcher("//" + place).replaceAll("//").substring(2);
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + redactUrl(url) + ", user=" + user + "]";
    }
}
