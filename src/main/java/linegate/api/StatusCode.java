package linegate.api;

/**
 * Every status_code a client of the send API can see, with its status text and HTTP status (docs/status-codes.md, "The table";
 * docs/api.md for clients).
 * The numbers and texts are part of the public contract: existing CRM integrations branch on them.
 */
public enum StatusCode {
    OK(200, "OK", 200),
    NO_TSID(100, "No tsid", 401),
    INVALID_TSID(101, "Invalid tsid", 401),
    /** A queued send (async=1) was stored; its result comes later as an event (HTTP 202 Accepted). */
    QUEUED(207, "Queued", 202),
    MALFORMED_REQUEST(201, "Malformed request", 400),
    REQUEST_TOO_LARGE(202, "Request too large", 413),
    UNKNOWN_ENDPOINT(203, "Unknown endpoint", 404),
    METHOD_NOT_ALLOWED(204, "Method not allowed", 405),
    URI_TOO_LONG(205, "Request line too long", 414),
    HEADERS_TOO_LARGE(206, "Request headers too large", 431),
    HTTP_VERSION_NOT_SUPPORTED(208, "HTTP version not supported", 505),
    REQUEST_TIMEOUT(209, "Request timeout", 408),
    NO_APP_ID(210, "No app_id", 400),
    INVALID_APP_ID(211, "Invalid app_id", 400),
    NO_DEST(220, "No dest", 400),
    INVALID_DEST(221, "Invalid dest", 400),
    NO_MDATA(225, "No mdata", 400),
    INVALID_MTYPE(226, "Invalid mtype", 400),
    INVALID_MEDIA_URL(227, "Invalid media URL", 400),
    MESSAGE_TOO_LONG(228, "Message too long", 400),
    INVALID_MSG_ID(229, "Invalid msg_id", 400),
    LINE_NOT_FOUND(230, "Instagram line not found", 404),
    INVALID_TAG(231, "Invalid tag", 400),
    /** quick_replies malformed or over Meta's limits, or given with a message that is not text (contract §11). */
    INVALID_QUICK_REPLIES(232, "Invalid quick_replies", 400),
    NO_PAGE_ACCESS_TOKEN(233, "No page access token", 422),
    HUMAN_AGENT_NOT_ENABLED(234, "Human agent tag not enabled", 422),
    MESSAGE_NOT_FOUND(235, "Message not found", 404),
    NO_MESSAGE_REFERENCE(236, "No cdls_id or msg_id", 400),
    INVALID_TEMPLATE(237, "Invalid template", 400),
    INVALID_REPLY_TO(238, "Invalid reply_to", 400),
    /** A reaction that is not one, or a sender action that is not typing_on, typing_off or mark_seen. */
    INVALID_ACTION(239, "Invalid action", 400),
    OUTSIDE_WINDOW(240, "Outside messaging window", 422),
    RECIPIENT_UNAVAILABLE(241, "Recipient unavailable", 422),
    NO_MATCHING_USER(242, "No matching user", 422),
    MEDIA_REJECTED(243, "Media rejected", 422),
    /** Linegate's media check before Meta: the URL gave no usable answer (contract §11, "Media checks"). */
    MEDIA_NOT_REACHABLE(244, "Media not reachable", 422),
    /** Linegate's media check before Meta: the URL answered with a type or size Meta does not take. */
    MEDIA_NOT_ACCEPTED(245, "Media not accepted", 422),
    TOKEN_REJECTED(250, "Page access token rejected", 422),
    NOT_PERMITTED(255, "Not permitted by Meta", 422),
    RATE_LIMITED(260, "Rate limited", 429),
    /** Only in MessageStatus and events: a queued send not sent within LINEGATE_QUEUE_MAX_AGE. */
    EXPIRED_IN_QUEUE(262, "Expired in queue", 504),
    /** Only in MessageStatus and events: an operator cancelled a queued send before it was sent. */
    CANCELLED(263, "Cancelled", 422),
    META_API_ERROR(270, "Meta API error", 502),
    META_UNREACHABLE(280, "Meta API unreachable", 504),
    DUPLICATE_IN_PROGRESS(291, "Duplicate msg_id in progress", 409),
    MSG_ID_REUSED(292, "msg_id reused with different content", 422),
    INVALID_AFTER(293, "Invalid after", 400),
    INVALID_LIMIT(294, "Invalid limit", 400),
    INVALID_WAIT(295, "Invalid wait", 400),
    INVALID_ASYNC(296, "Invalid async", 400),
    /** MessageStatus: a cdls_id that cannot be one (not digits, or too long): a client's mistake, not a missing row. */
    INVALID_CDLS_ID(297, "Invalid cdls_id", 400),
    INTERNAL_ERROR(500, "Internal error", 500),
    SERVICE_UNAVAILABLE(503, "Service unavailable", 503);

    private final int code;
    private final String status;
    private final int httpStatus;

    StatusCode(int code, String status, int httpStatus) {
        this.code = code;
        this.status = status;
        this.httpStatus = httpStatus;
    }

    public int code() {
        return code;
    }

    /** The default status text; a channel may word some differently (Messenger's 230). */
    public String status() {
        return status;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public static StatusCode of(int code) {
        for (StatusCode s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("no status code " + code);
    }
}
