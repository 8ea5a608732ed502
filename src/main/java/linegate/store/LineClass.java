package linegate.store;

import java.util.Locale;

/** The channel a line speaks: the {@code class} column. */
public enum LineClass {
    INSTAGRAM, MESSENGER;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LineClass fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
