package linegate.meta;

import java.util.Optional;

/**
 * Meta's error envelope ({@code {"error":{...}}}) as read from an answer, plus how long Meta asked us to wait when it
 * said so in a header. Fields Meta left out are null.
 *
 * @see <a href="https://developers.facebook.com/docs/graph-api/guides/error-handling">Graph API error handling</a>
 */
public record GraphError(Integer code, Integer subcode, String type, String message, String fbtraceId,
                         int httpStatus, Optional<Long> retryAfterSeconds) {

    /** Linegate's reading of this error: classified by code and subcode only (never by type or HTTP status). */
    public GraphErrorClass classify() {
        return GraphErrorClass.of(code, subcode);
    }
}
