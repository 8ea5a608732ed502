package linegate.meta;

import java.util.Objects;

/**
 * Meta's token endpoints in Linegate's words: whether a token still works ({@code GET /{version}/me?fields=id}), and
 * refreshing an Instagram User token ({@code GET graph.instagram.com/refresh_access_token}). Never throws for anything
 * Meta or the network does: every result is an answer.
 */
public interface TokenClient {
    /** Asks the host whose token it is who owns the token: the cheapest call that proves the token works. */
    CheckAnswer check(GraphEndpoint.Host host, String accessToken);

    /** Trades a long-lived Instagram User token for a new one, valid 60 days from now. */
    RefreshAnswer refresh(String instagramUserToken);

    /** What a token check found. */
    sealed interface CheckAnswer {
        /** Meta answered 200 with the token owner's id: the token works. */
        record Valid(String ownerId) implements CheckAnswer {
        }

        /** Meta answered with an error envelope. */
        record Refused(GraphError error) implements CheckAnswer {
            public Refused {
                Objects.requireNonNull(error);
            }
        }

        /** No usable answer (no connection, a timeout, an answer that is neither a success nor an envelope). */
        record NoAnswer(String cause) implements CheckAnswer {
            public NoAnswer {
                Objects.requireNonNull(cause);
            }
        }
    }

    /** What a refresh got. */
    sealed interface RefreshAnswer {
        /** Meta's new token and its lifetime in seconds ({@code expires_in}); {@code toString()} never shows the token. */
        record Refreshed(String accessToken, long expiresInSeconds) implements RefreshAnswer {
            public Refreshed {
                if (accessToken == null || accessToken.isBlank()) {
                    throw new IllegalArgumentException("a refreshed token cannot be empty");
                }
                if (expiresInSeconds <= 0) {
                    throw new IllegalArgumentException("a refreshed token's lifetime is positive, got " + expiresInSeconds);
                }
            }

            @Override
            public String toString() {
                return "Refreshed[token REDACTED, expiresInSeconds=" + expiresInSeconds + "]";
            }
        }

        /** Meta refused to refresh (an expired or revoked token, one younger than 24 hours, a rate limit...). */
        record Refused(GraphError error) implements RefreshAnswer {
            public Refused {
                Objects.requireNonNull(error);
            }
        }

        record NoAnswer(String cause) implements RefreshAnswer {
            public NoAnswer {
                Objects.requireNonNull(cause);
            }
        }
    }
}
