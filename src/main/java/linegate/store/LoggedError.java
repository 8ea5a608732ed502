package linegate.store;

/**
 * Why a row failed: Linegate's status_code and status text with a short explanation, and Meta's error when Meta answered with one
 * (code, subcode, type, message, fbtrace_id; each may be null).
 */
public record LoggedError(int statusCode, String status, String detail, Integer metaCode, Integer metaSubcode, String metaType,
                          String metaMessage, String fbtraceId) {

    public static LoggedError local(int statusCode, String status, String detail) {
        return new LoggedError(statusCode, status, detail, null, null, null, null, null);
    }

    public boolean hasMetaError() {
        return metaCode != null || metaType != null || metaMessage != null || fbtraceId != null;
    }
}
