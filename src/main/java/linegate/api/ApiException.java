package linegate.api;

import java.util.Objects;

/**
 * A request that Linegate answers with a documented non-200 status code. Carries the facts the one error mapper needs
 * to write the {@code {"return":{...}}} envelope; it never carries a secret, so its message is safe to log.
 */
public final class ApiException extends RuntimeException {
    /** The detail of {@link #databaseUnavailable()}, as clients have always read it. */
    public static final String DATABASE_UNAVAILABLE = "the database is unavailable; retry later";
    private final StatusCode code;
    private final String statusText;
    private final String detail;
    private final Long cdlsId;
    private final MetaErrorView metaError;
    private final Long retryAfterSeconds;

    private ApiException(StatusCode code, String statusText, String detail, Long cdlsId, MetaErrorView metaError,
                         Long retryAfterSeconds) {
        super(code.code() + " " + statusText + (detail == null ? "" : ": " + detail), null, false, false);
        this.code = Objects.requireNonNull(code);
        this.statusText = Objects.requireNonNull(statusText);
        this.detail = detail;
        this.cdlsId = cdlsId;
        this.metaError = metaError;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException of(StatusCode code, String detail) {
        return new ApiException(code, code.status(), detail, null, null, null);
    }

    /**
     * The database cannot serve the request now (a service at the HTTP boundary turns the store's failure into this):
     * 503, nothing was half-done, the client may retry.
     */
    public static ApiException databaseUnavailable() {
        return of(StatusCode.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE);
    }

    public ApiException withStatusText(String text) {
        return new ApiException(code, text, detail, cdlsId, metaError, retryAfterSeconds);
    }

    public ApiException withDetail(String text) {
        return new ApiException(code, statusText, text, cdlsId, metaError, retryAfterSeconds);
    }

    public ApiException withCdlsId(long id) {
        return new ApiException(code, statusText, detail, id, metaError, retryAfterSeconds);
    }

    public ApiException withMetaError(MetaErrorView error) {
        return new ApiException(code, statusText, detail, cdlsId, error, retryAfterSeconds);
    }

    public ApiException withRetryAfter(long seconds) {
        return new ApiException(code, statusText, detail, cdlsId, metaError, seconds);
    }

    public StatusCode code() {
        return code;
    }

    public String statusText() {
        return statusText;
    }

    /** A human explanation of what was wrong with the request, or null. */
    public String detail() {
        return detail;
    }

    public Long cdlsId() {
        return cdlsId;
    }

    public MetaErrorView metaError() {
        return metaError;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
