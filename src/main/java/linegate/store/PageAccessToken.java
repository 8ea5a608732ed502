package linegate.store;

import java.util.Objects;

/** A page access token in memory. Its {@code toString()} never shows it; only {@link #reveal()} does, for the Graph call. */
public final class PageAccessToken {
    private final String value;

    public PageAccessToken(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a page access token cannot be empty");
        }
        this.value = value.strip();
    }

    public String reveal() {
        return value;
    }

    /** The last four characters, enough for an operator to tell two tokens apart. */
    public String masked() {
        return value.length() <= 8 ? "****" : "****" + value.substring(value.length() - 4);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PageAccessToken other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return "PageAccessToken[REDACTED]";
    }
}
