package linegate.config;

/** Bad configuration: its message is one line that says what is wrong and how to fix it. Never holds a secret. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
