package linegate.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator gives to create a line. An Instagram Login line ({@code login} INSTAGRAM) is an Instagram line known
 * by its Instagram account id alone (its sends go to that id's {@code /messages} edge, and it has no Page);
 * {@code tokenExpiresAt}, when its token expires, is given for such lines only (Page tokens are never refreshed).
 */
public record NewLine(
        long accountId,
        LineClass lineClass,
        Optional<PageAccessToken> pageToken,
        Optional<String> igAccountId,
        Optional<String> pageId,
        boolean active,
        boolean humanAgent,
        LineLogin login,
        Optional<Instant> tokenExpiresAt) {

    public NewLine {
        Objects.requireNonNull(lineClass);
        Objects.requireNonNull(pageToken);
        Objects.requireNonNull(igAccountId);
        Objects.requireNonNull(pageId);
        Objects.requireNonNull(login);
        Objects.requireNonNull(tokenExpiresAt);
        igAccountId.ifPresent(id -> requireDigits("--ig-account-id", id));
        pageId.ifPresent(id -> requireDigits("--page-id", id));
        if (login == LineLogin.INSTAGRAM) {
            if (lineClass != LineClass.INSTAGRAM) {
                throw new IllegalArgumentException("--login instagram is for Instagram lines only (--class instagram);"
                        + " a " + lineClass.dbValue() + " line sends with a Page token: leave --login out");
            }
            if (igAccountId.isEmpty()) {
                throw new IllegalArgumentException("--login instagram needs --ig-account-id: the Instagram professional"
                        + " account id its sends go from (the user_id of GET graph.instagram.com/me?fields=user_id)");
            }
            if (pageId.isPresent()) {
                throw new IllegalArgumentException("--login instagram lines have no Facebook Page: leave --page-id out");
            }
        } else if (tokenExpiresAt.isPresent()) {
            throw new IllegalArgumentException("--token-expires is for Instagram Login lines (--login instagram) only:"
                    + " Page tokens are not refreshed");
        }
    }

    /** A line whose token is a Page access token (Facebook Login). */
    public NewLine(long accountId, LineClass lineClass, Optional<PageAccessToken> pageToken, Optional<String> igAccountId,
                   Optional<String> pageId, boolean active, boolean humanAgent) {
        this(accountId, lineClass, pageToken, igAccountId, pageId, active, humanAgent, LineLogin.FACEBOOK,
                Optional.empty());
    }

    static void requireDigits(String what, String id) {
        if (!id.matches("[0-9]{1,64}")) {
            throw new IllegalArgumentException(what + " must be Meta's numeric id (digits only), got '" + id + "'");
        }
    }
}
