package linegate.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the database is. {@code jdbc:sqlite:} URLs are the embedded mode; {@code jdbc:postgresql:} URLs the scaled one.
 * Which database it is, the store reads from the same URL ({@code linegate.store.Database.Kind}); configuration needs
 * only to know whether it is the embedded one.
 */
public record DatabaseConfig(String url, String user, Secret password) {
    public DatabaseConfig {
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("LINEGATE_DB_URL must start with jdbc:sqlite: or jdbc:postgresql:, got '"
                    + redactUrl(url) + "': e.g. jdbc:sqlite:./data/linegate.db or jdbc:postgresql://host:5432/linegate");
        }
    }

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

    /** The URL with any password parameter removed, for messages. */
    public static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1[REDACTED]");
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + redactUrl(url) + ", user=" + user + "]";
    }
}
