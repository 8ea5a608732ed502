package linegate.meta;

import java.util.Optional;

/**
 * Meta's error envelope ({@code {"error":{...}}}) as read from an answer, plus how long Meta asked us to wait when it
 * said so in a header. Fields Meta left out are null.
 *
 * @see <a href="https://developers.facebook.com/docs/graph-api/guides/error-handling">Graph API error handling</a>
 */
public record GraphError(Integer code, Integer subcode, String type, String message, String fbtraceId,
                         int httpStatus, Optional<Long> retryAfterSeconds, boolean isTransient) {

    /** An error without {@code is_transient} (Meta leaves it out of most answers). */
    public GraphError(Integer code, Integer subcode, String type, String message, String fbtraceId, int httpStatus,
                      Optional<Long> retryAfterSeconds) {
        this(code, subcode, type, message, fbtraceId, httpStatus, retryAfterSeconds, false);
    }

    /** Linegate's reading of this error: classified by code and subcode only (never by type or HTTP status). */
    public GraphErrorClass classify() {
        return GraphErrorClass.of(code, subcode);
    }

    /**
     * Whether Meta may have delivered the message despite this error, so that sending it again could deliver it twice.
     * An error Linegate classifies names the reason Meta refused to send (window, recipient, media, token, permission,
     * rate limit): not delivered. Otherwise Meta's own failure is not a refusal: code 1 ("An unknown error occurred";
     * 1/1357046 "messages may actually have been sent"), code 2 ("An unexpected error has occurred. Please retry your
     * request later."), {@code is_transient: true}, or any other error with HTTP 5xx. Meta documents none of these as
     * "nothing was sent", so they count as unknown. 2/2018344 (terms of service not accepted) is a refusal.
     * Sources: Messenger Platform error codes, Graph API error handling (shared/meta/facts.md, sections 4.4 and 4.5).
     */
    public boolean mayHaveBeenDelivered() {
        if (classify() != GraphErrorClass.OTHER) {
            return false;
        }
        boolean metaFailure = code != null && (code == 1 || code == 2 && !Integer.valueOf(2018344).equals(subcode));
        return metaFailure || isTransient || httpStatus >= 500;
    }
}
