package linegate.http;

/**
 * What {@code /health} and {@code /health/ready} report of the store: whether the database accepts a write and whether
 * the message log writer is healthy. {@link #ready()} when both hold.
 */
public record ReadinessReport(boolean database, boolean logWriter) {
    public boolean ready() {
        return database && logWriter;
    }
}
