package linegate.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An API token ({@code tsid}) as Linegate keeps it: only its SHA-256. Tokens are 256 random bits, so an unsalted fast
 * hash is enough (no dictionary to attack) and lets the hash itself be the unique, indexed lookup key.
 */
public record ApiTokenHash(String hex) {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String PREFIX = "lgt_";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    /** Cloned per use: looking SHA-256 up among the security providers on every request cost more than hashing. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public ApiTokenHash {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest");
        }
    }

    public static ApiTokenHash of(String token) {
        try {
            byte[] digest = ((MessageDigest) SHA_256.clone()).digest(token.getBytes(StandardCharsets.UTF_8));
            return new ApiTokenHash(HexFormat.of().formatHex(digest));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the SHA-256 provider cannot be cloned", e);
        }
    }

    /** A fresh token: the prefix and 32 random bytes in unpadded base64url (47 characters). */
    static String newToken() {
        return newToken(PREFIX);
    }

    /** A fresh secret of another kind (an admin token, a console session): {@code prefix} and 32 random bytes. */
    public static String newToken(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Constant-time comparison, so the time taken says nothing about how much of a guess was right. */
    public boolean matches(ApiTokenHash other) {
        return MessageDigest.isEqual(hex.getBytes(StandardCharsets.US_ASCII), other.hex.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "ApiTokenHash[" + hex.substring(0, 8) + "…]";
    }
}
