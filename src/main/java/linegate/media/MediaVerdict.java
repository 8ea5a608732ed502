package linegate.media;

import java.util.Objects;

/**
 * What a media check came to. {@code detail} says what was found (the status, type, size, the limit it broke) for the
 * client to read; it never repeats the URL's user info, path or query, where signed URLs keep their secrets.
 */
public sealed interface MediaVerdict {
    /** The URL answered 2xx with a fitting type and a size within Meta's limit (or no size: then Meta decides). */
    record Accepted() implements MediaVerdict {
    }

    /** 244: no usable answer (refused address, no connection, timeout, an error status, too many redirects). */
    record NotReachable(String detail) implements MediaVerdict {
        public NotReachable {
            Objects.requireNonNull(detail);
        }
    }

    /** 245: the URL answered, but with a type that does not fit the kind, or a size over Meta's limit. */
    record NotAccepted(String detail) implements MediaVerdict {
        public NotAccepted {
            Objects.requireNonNull(detail);
        }
    }
}
