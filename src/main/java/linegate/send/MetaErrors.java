package linegate.send;

import linegate.api.MetaErrorView;
import linegate.api.StatusCode;
import linegate.meta.GraphError;
import linegate.store.LoggedError;

/** Maps Meta's classified errors to the client's status codes (docs/status-codes.md, "The table") and to the log's error columns. */
final class MetaErrors {
    /** When Meta rate-limits without saying for how long. */
    static final long DEFAULT_RETRY_AFTER_SECONDS = 60;

    private MetaErrors() {
    }

    static StatusCode statusOf(GraphError e) {
        return switch (e.classify()) {
            case WINDOW_CLOSED -> StatusCode.OUTSIDE_WINDOW;
            case RECIPIENT_UNAVAILABLE -> StatusCode.RECIPIENT_UNAVAILABLE;
            case NO_MATCHING_USER -> StatusCode.NO_MATCHING_USER;
            case MEDIA_REJECTED -> StatusCode.MEDIA_REJECTED;
            case TOKEN_REJECTED -> StatusCode.TOKEN_REJECTED;
            case NOT_PERMITTED -> StatusCode.NOT_PERMITTED;
            case RATE_LIMITED -> StatusCode.RATE_LIMITED;
            case OTHER -> StatusCode.META_API_ERROR;
        };
    }

    static MetaErrorView view(GraphError e) {
        return new MetaErrorView(e.code(), e.subcode(), e.type(), e.message(), e.fbtraceId());
    }

    static LoggedError logged(StatusCode status, GraphError e) {
        return new LoggedError(status.code(), status.status(), null, e.code(), e.subcode(), e.type(), e.message(), e.fbtraceId());
    }
}
