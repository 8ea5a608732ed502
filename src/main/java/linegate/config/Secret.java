package linegate.config;

import java.util.Objects;

/** A secret configuration value. Its {@code toString()} never reveals it, so it can sit in records that get logged. */
public record Secret(String value) {
    public Secret {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "[REDACTED]";
    }
}
