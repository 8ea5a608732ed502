package linegate.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the database is. {@code jdbc:sqlite:} URLs are the embedded mode; {@code jdbc:postgresql:} URLs the scaled one.
 */
public record DatabaseConfig(String url, String user, Secret password) {
    public enum Kind { SQLITE, POSTGRESQL }

    public DatabaseConfig {
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("LINEGATE_DB_URL must start with jdbc:sqlite: or jdbc:postgresql:, got '"
                    + redactUrl(url) + "': e.g. jdbc:sqlite:./data/linegate.db or jdbc:postgresql://host:5432/linegate");
        }
    }

    public Kind kind() {
        return url.startsWith("jdbc:sqlite:") ? Kind.SQLITE : Kind.POSTGRESQL;
    }

    /** The SQLite database file, when embedded and file-backed. */
    public Optional<Path> sqliteFile() {
        if (kind() != Kind.SQLITE) {
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
