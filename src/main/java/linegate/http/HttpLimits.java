package linegate.http;

/**
 * What one node's HTTP server accepts.
 *
 * @param maxBodyBytes          a larger request body answers 202
 * @param maxConcurrentRequests requests in flight at once (health and metrics aside); one more answers 503 at once
 */
public record HttpLimits(int maxBodyBytes, int maxConcurrentRequests) {
    public HttpLimits {
        if (maxBodyBytes < 1 || maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxBodyBytes + ", " + maxConcurrentRequests);
        }
    }
}
