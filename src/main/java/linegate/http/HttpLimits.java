package linegate.http;

import java.time.Duration;

/**
 * What one node's HTTP server accepts.
 *
 * @param maxBodyBytes          a larger request body answers 202
 * @param maxConcurrentRequests requests in flight at once (health and metrics aside); one more answers 503 at once
 * @param requestReadTimeout    a request whose headers and body have not all arrived this long after its first byte
 *                              loses its connection
 */
public record HttpLimits(int maxBodyBytes, int maxConcurrentRequests, Duration requestReadTimeout) {
    public HttpLimits {
        if (maxBodyBytes < 1 || maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxBodyBytes + ", " + maxConcurrentRequests);
        }
        if (requestReadTimeout.isNegative() || requestReadTimeout.isZero()) {
            throw new IllegalArgumentException("the request read timeout must be positive: " + requestReadTimeout);
        }
    }
}
