package linegate.http;

import java.util.Optional;

/** The token of an {@code Authorization: Bearer …} header, for both APIs' gates. */
public final class BearerHeader {
    private static final String SCHEME = "Bearer ";

    private BearerHeader() {
    }

    /** The token after the scheme (matched in any case), stripped; empty without a header, a scheme or a token. */
    public static Optional<String> token(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.strip();
        if (h.length() > SCHEME.length() && h.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.of(h.substring(SCHEME.length()).strip()).filter(s -> !s.isEmpty());
        }
        return Optional.empty();
    }
}
