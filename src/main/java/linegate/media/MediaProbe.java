package linegate.media;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** What a media URL answered, before it is judged for a kind and a channel; what the cache keeps per URL. */
sealed interface MediaProbe {
    /**
     * A 2xx answer (after {@code redirects} redirects): its media type without parameters, lower case, when it named
     * one; its size from {@code Content-Length} or a {@code Content-Range} total, when it stated one.
     */
    record Answered(int status, Optional<String> type, OptionalLong size, int redirects) implements MediaProbe {
        public Answered {
            Objects.requireNonNull(type);
            Objects.requireNonNull(size);
        }
    }

    /** No 2xx answer: why, in words a client can act on, naming no part of the URL but a redirect's host. */
    record Unreachable(String detail) implements MediaProbe {
        public Unreachable {
            Objects.requireNonNull(detail);
        }
    }
}
