package linegate.operators;

import linegate.api.Refusal;
import linegate.store.LineClass;
import linegate.store.LineLogin;
import linegate.store.PageAccessToken;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The checks on what operators give, each with the one message both ways in show. A field is named as the API's JSON
 * calls it and as the command line's option, e.g. {@code class (--class)}. A value is echoed only when it cannot be a
 * secret, and then cut short.
 */
final class Checks {
    static final int MAX_NAME = 200;
    static final int MAX_SENDS_PER_SECOND = 100_000;

    private Checks() {
    }

    /** {@code field (--field-option)}, the name of a field in every message. */
    static String named(String field) {
        String option = switch (field) {
            case "account_id" -> "account";
            case "line_id" -> "line";
            case "token_expires_at" -> "token-expires";
            default -> field.replace('_', '-');
        };
        return field + " (--" + option + ")";
    }

    static String name(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Refusal.invalid(named(field) + " must not be empty");
        }
        if (value.strip().length() > MAX_NAME) {
            throw Refusal.invalid(named(field) + " must be at most " + MAX_NAME + " characters");
        }
        return value.strip();
    }

    /** An optional label: empty or blank means none. */
    static String label(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.strip().length() > MAX_NAME) {
            throw Refusal.invalid(named("label") + " must be at most " + MAX_NAME + " characters");
        }
        return value.strip();
    }

    static LineClass lineClass(String text) {
        String name = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(LineClass.values()).filter(c -> c.dbValue().equals(name)).findFirst()
                .orElseThrow(() -> Refusal.invalid(named("class") + " must be " + String.join(" or ",
                        Arrays.stream(LineClass.values()).map(LineClass::dbValue).toList()) + ", got '" + shown(text)
                        + "'"));
    }

    /** A line's login, {@code facebook} (a Page token) or {@code instagram} (an Instagram User token). */
    static LineLogin login(String text) {
        String name = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(LineLogin.values()).filter(l -> l.dbValue().equals(name)).findFirst()
                .orElseThrow(() -> Refusal.invalid(named("login") + " must be facebook or instagram, got '"
                        + shown(text) + "'"));
    }

    /**
     * An Instagram Login line is an Instagram line known by its Instagram account id alone (its sends go to that id's
     * {@code /messages} edge, and it has no Page); only its token has an expiry Linegate refreshes before. The store's
     * {@code NewLine} holds the same rules as invariants; these say them in both spellings.
     */
    static void loginFits(LineClass lineClass, LineLogin login, Optional<String> igAccountId, Optional<String> pageId,
                          boolean expiryGiven) {
        if (login == LineLogin.INSTAGRAM) {
            if (lineClass != LineClass.INSTAGRAM) {
                throw Refusal.invalid(named("login") + " instagram is for Instagram lines only (" + named("class")
                        + " instagram); a " + lineClass.dbValue() + " line sends with a Page token: leave it out");
            }
            if (igAccountId.isEmpty()) {
                throw Refusal.invalid(named("login") + " instagram needs " + named("ig_account_id") + ": the"
                        + " Instagram professional account id its sends go from (the user_id of GET"
                        + " graph.instagram.com/me?fields=user_id)");
            }
            if (pageId.isPresent()) {
                throw Refusal.invalid(named("login") + " instagram lines have no Facebook Page: leave "
                        + named("page_id") + " out");
            }
        } else if (expiryGiven) {
            throw Refusal.invalid(named("token_expires_at") + " is for Instagram Login lines (" + named("login")
                    + " instagram) only: Page tokens are not refreshed");
        }
    }

    /** A line's own send budget: a whole number from 1 to 100,000. */
    static OptionalInt sendsPerSecond(String text) {
        String value = text.strip();
        if (!value.matches("[0-9]{1,6}") || Integer.parseInt(value) < 1
                || Integer.parseInt(value) > MAX_SENDS_PER_SECOND) {
            throw Refusal.invalid(named("sends_per_second") + " must be a whole number from 1 to "
                    + MAX_SENDS_PER_SECOND
                    + " (on a change, 'default' or null: back to LINEGATE_LINE_SENDS_PER_SECOND), got '"
                    + shown(value) + "'");
        }
        return OptionalInt.of(Integer.parseInt(value));
    }

    /** As {@link #sendsPerSecond}, or {@code default}: the line has no budget of its own. */
    static OptionalInt sendsPerSecondOrDefault(String text) {
        return text.strip().equals("default") ? OptionalInt.empty() : sendsPerSecond(text);
    }

    static PageAccessToken pageToken(String value) {
        if (value == null || value.isBlank()) {
            throw Refusal.invalid(named("page_token") + " is empty");
        }
        if (value.strip().chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw Refusal.invalid(named("page_token") + " has spaces or control characters: paste the token alone");
        }
        return new PageAccessToken(value);
    }

    /** Meta's numeric id of an Instagram account or a Page. */
    static String metaId(String field, String value) {
        if (value == null || !value.strip().matches("[0-9]{1,64}")) {
            throw Refusal.invalid(named(field) + " must be Meta's numeric id (digits only), got '" + shown(value)
                    + "'");
        }
        return value.strip();
    }

    static long instant(String field, String text) {
        try {
            return Instant.parse(text.strip()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw Refusal.invalid(named(field) + " must be an ISO-8601 instant such as 2026-12-01T10:00:00Z, got '"
                    + shown(text) + "'");
        }
    }

    /** The most rows one list of messages or events gives, to the command line or the admin API. */
    static final int MAX_LIST = 10_000;

    static int limit(int value, int max) {
        if (value < 1 || value > max) {
            throw Refusal.invalid(named("limit") + " must be from 1 to " + max + ", got " + value);
        }
        return value;
    }

    /** A value as a message may show it: at most 20 characters. */
    static String shown(String value) {
        if (value == null) {
            return "";
        }
        String v = value.strip();
        return v.length() > 20 ? v.substring(0, 20) + "…" : v;
    }
}
