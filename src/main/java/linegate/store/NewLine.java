package linegate.store;

import java.util.Objects;
import java.util.Optional;

/** What an operator gives to create a line. */
public record NewLine(
        long accountId,
        LineClass lineClass,
        Optional<PageAccessToken> pageToken,
        Optional<String> igAccountId,
        Optional<String> pageId,
        boolean active,
        boolean humanAgent) {

    public NewLine {
        Objects.requireNonNull(lineClass);
        Objects.requireNonNull(pageToken);
        Objects.requireNonNull(igAccountId);
        Objects.requireNonNull(pageId);
        igAccountId.ifPresent(id -> requireDigits("--ig-account-id", id));
        pageId.ifPresent(id -> requireDigits("--page-id", id));
    }

    static void requireDigits(String what, String id) {
        if (!id.matches("[0-9]{1,64}")) {
            throw new IllegalArgumentException(what + " must be Meta's numeric id (digits only), got '" + id + "'");
        }
    }
}
