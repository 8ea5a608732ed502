package linegate.events;

import java.security.SecureRandom;
import java.util.Base64;

/** New signing secrets: {@code whsec_} and 32 random bytes, base64url without padding (43 characters). */
public final class CallbackSecrets {
    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private CallbackSecrets() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
