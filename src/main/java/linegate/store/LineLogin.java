package linegate.store;

import java.util.Locale;

/**
 * How a line's access token was granted (the {@code login} column, contract §11): through Facebook Login, a Page
 * access token (Messenger, and Instagram through the Page it is linked to), or through Instagram Login, an Instagram
 * User access token for an Instagram professional account without a Page, which lives 60 days and is refreshed.
 */
public enum LineLogin {
    FACEBOOK, INSTAGRAM;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LineLogin fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
