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
     * Only 1/1357046 ("Received invalid JSON reply"), of which Meta's error table says the messages may have been sent
     * although the call failed. Every other error envelope is Meta's answer that it did not send: the classified
     * refusals name the reason, and for codes 1 and 2 and {@code is_transient: true} Meta's advice is to retry the call
     * later (docs/meta-facts.md#errors-refused-or-unknown), which is what a queued send will do (retried only where no
     * duplicate can result). A 5xx without an envelope is no answer at all and never reaches this record.
     */
    public boolean mayHaveBeenDelivered() {
        return Integer.valueOf(1).equals(code) && Integer.valueOf(INVALID_JSON_REPLY).equals(subcode);
    }

    /** Meta's subcode of code 1 after which "messages may actually have been sent". */
    static final int INVALID_JSON_REPLY = 1357046;
}
