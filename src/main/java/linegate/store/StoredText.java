package linegate.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How text is stored so that any Java string survives both databases: PostgreSQL refuses the NUL character (U+0000) in
 * text columns ("invalid byte sequence for encoding UTF8: 0x00"), and outside input (a customer's message, an API
 * client's {@code mdata}, an error that quotes either) may hold one. Every string {@link Database} binds is
 * {@link #encode}d; whoever reads text columns that can hold outside input reads them through {@link #read}.
 * <p>
 * The escape is a bijection: NUL becomes U+FFFF followed by {@code 0}, U+FFFF itself becomes U+FFFF followed by
 * {@code 1}. U+FFFF is a Unicode noncharacter, which text from outside practically never holds, so text without NUL
 * is stored as it is, and stored text written before this escape reads back unchanged.
 */
public final class StoredText {
    static final char ESCAPE = '\uFFFF';

    private StoredText() {
    }

    public static String encode(String text) {
        if (text == null || (text.indexOf('\0') < 0 && text.indexOf(ESCAPE) < 0)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\0' -> out.append(ESCAPE).append('0');
                case ESCAPE -> out.append(ESCAPE).append('1');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The text {@link #encode} was given; an escape not followed by 0 or 1 (never written by it) is kept as it is. */
    public static String decode(String stored) {
        if (stored == null || stored.indexOf(ESCAPE) < 0) {
            return stored;
        }
        StringBuilder out = new StringBuilder(stored.length());
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            char next = i + 1 < stored.length() ? stored.charAt(i + 1) : 0;
            if (c == ESCAPE && (next == '0' || next == '1')) {
                out.append(next == '0' ? '\0' : ESCAPE);
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A text column, decoded. */
    static String read(ResultSet rs, String column) throws SQLException {
        return decode(rs.getString(column));
    }
}
