package linegate.api;

import java.util.Objects;

/**
 * An operator's request refused, by the command line or the admin API alike (contract §12): what kind of refusal, and
 * a message that says what is wrong and how to fix it, never echoing a secret. The command line prints the message;
 * the admin API answers {@code {"error":{"code","message"}}} with the kind's HTTP status.
 */
public final class Refusal extends RuntimeException {
    /** The kinds of refusal, each with its HTTP status and the {@code code} the admin API answers. */
    public enum Kind {
        /** The body is not what the content type says, or not a JSON object. */
        MALFORMED(400, "malformed"),
        /** No admin token or session, or one that is unknown, revoked or ended. */
        UNAUTHORIZED(401, "unauthorized"),
        /** A cookie-authenticated change without its CSRF token, or from another origin. */
        FORBIDDEN(403, "forbidden"),
        NOT_FOUND(404, "not_found"),
        /** The change conflicts with the state of another row (an id another active line holds). */
        CONFLICT(409, "conflict"),
        TOO_LARGE(413, "too_large"),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
        /** Well-formed, but a value is of the wrong type or out of its range. */
        INVALID(422, "invalid"),
        UNAVAILABLE(503, "unavailable");

        private final int httpStatus;
        private final String code;

        Kind(int httpStatus, String code) {
            this.httpStatus = httpStatus;
            this.code = code;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public String code() {
            return code;
        }
    }

    private final Kind kind;

    public Refusal(Kind kind, String message) {
        super(Objects.requireNonNull(message), null, false, false);
        this.kind = Objects.requireNonNull(kind);
    }

    public static Refusal invalid(String message) {
        return new Refusal(Kind.INVALID, message);
    }

    public static Refusal notFound(String message) {
        return new Refusal(Kind.NOT_FOUND, message);
    }

    public static Refusal conflict(String message) {
        return new Refusal(Kind.CONFLICT, message);
    }

    public static Refusal unauthorized(String message) {
        return new Refusal(Kind.UNAUTHORIZED, message);
    }

    public Kind kind() {
        return kind;
    }
}
