package linegate.operators;

import linegate.api.Refusal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A page cursor: the last id of the page before, opaque to clients (base64url), so that they pass it back as given
 * instead of computing one.
 */
final class Cursor {
    private static final String PREFIX = "after:";

    private Cursor() {
    }

    static String encode(long id) {
        byte[] text = (PREFIX + id).getBytes(StandardCharsets.US_ASCII);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text);
    }

    /** The id the cursor stands for; empty for no cursor (the first page). */
    static Optional<Long> decode(Optional<String> cursor) {
        if (cursor.isEmpty() || cursor.get().isEmpty()) {
            return Optional.empty();
        }
        String text;
        try {
            text = cursor.get().length() > 64 ? "" : new String(Base64.getUrlDecoder().decode(cursor.get()),
                    StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            text = "";
        }
        if (!text.matches(PREFIX + "[0-9]{1,18}")) {
            throw Refusal.invalid("cursor is not one this API gave: pass the 'next' of the page before as it is, or"
                    + " leave it out for the first page");
        }
        return Optional.of(Long.parseLong(text.substring(PREFIX.length())));
    }
}
