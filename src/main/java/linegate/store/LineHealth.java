package linegate.store;

import java.util.Locale;

/**
 * A line's health (docs/api.md, "Events": line.status), from Meta's answers on the line: whether Meta takes its
 * sends, refuses its token, or has restricted it. The {@code health} column.
 */
public enum LineHealth {
    /** No telling answer yet: a new line, or one whose answers so far said nothing about the line itself. */
    UNKNOWN,
    /** Meta took a send. */
    OK,
    /** Meta refused the line's token (expired, revoked, or the account must be re-authorised): every send fails. */
    TOKEN_REJECTED,
    /** Meta restricted the Page or account from sending (a policy restriction): sends fail until Meta lifts it. */
    RESTRICTED;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LineHealth fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
