package linegate.api;

/**
 * Meta's error as a client sees it in {@code meta_error}: code, subcode, type, message, fbtrace_id.
 * Carries no request data, so it is safe to log and to echo.
 */
public record MetaErrorView(Integer code, Integer subcode, String type, String message, String fbtraceId) {
}
