package linegate.store;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Encrypts page access tokens at rest with AES-256-GCM (random 96-bit nonce, 128-bit tag). Sealed form:
 * {@code v1.<key id>.<base64(nonce || ciphertext || tag)>}, where the key id is the first 4 bytes of SHA-256(key), so a
 * token sealed under another master key is reported as such instead of as corrupt data.
 */
public final class TokenCipher {
    private static final byte[] AAD = "linegate/page-access-token/v1".getBytes(StandardCharsets.US_ASCII);
    /** A secret of its own purpose: a sealed page token copied into the secret's column does not open there. */
    private static final byte[] CALLBACK_SECRET_AAD = "linegate/callback-secret/v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;
    private final String keyId;

    public TokenCipher(byte[] masterKey) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the master key must be 32 bytes");
        }
        this.key = new SecretKeySpec(masterKey, "AES");
        try {
            this.keyId = HexFormat.of().formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(masterKey), 4));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configured key's id, as sealed values carry it. */
    public String keyId() {
        return keyId;
    }

    /** The key id a sealed value carries, or {@code "unknown"} for one in no format this version reads. */
    public static String keyIdOf(String sealed) {
        String[] parts = sealed.split("\\.", 3);
        return parts.length == 3 && parts[0].equals("v1") ? parts[1] : "unknown";
    }

    public String seal(PageAccessToken token) {
        return seal(token.reveal(), AAD);
    }

    public PageAccessToken open(String sealed) {
        return new PageAccessToken(open(sealed, AAD, "page access token", "'linegate line update ID --page-token PAT'"));
    }

    /** Seals an account's callback signing secret (store.events.Callbacks). */
    public String sealCallbackSecret(String secret) {
        return seal(secret, CALLBACK_SECRET_AAD);
    }

    public String openCallbackSecret(String sealed) {
        return open(sealed, CALLBACK_SECRET_AAD, "callback signing secret",
                "'linegate account update ID --rotate-secret'");
    }

    private String seal(String plain, byte[] aad) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + ct.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(ct, 0, out, nonce.length, ct.length);
            return "v1." + keyId + "." + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private String open(String sealed, byte[] aad, String what, String setAgain) {
        String[] parts = sealed.split("\\.", 3);
        if (parts.length != 3 || !parts[0].equals("v1")) {
            throw new UnreadableTokenException("the stored " + what + " is not in a format this version reads");
        }
        if (!parts[1].equals(keyId)) {
            throw new UnreadableTokenException("the stored " + what + " was encrypted under another master key (key id "
                    + parts[1] + ", configured key id " + keyId + "): give every node the LINEGATE_MASTER_KEY with id "
                    + parts[1] + " (docs/operations.md, \"The master key\"); only if that key is lost for good, set it"
                    + " again with " + setAgain);
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            c.updateAAD(aad);
            return new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new UnreadableTokenException("the stored " + what + " is corrupt (authentication tag mismatch):"
                    + " set it again with " + setAgain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** A sealed token that cannot be opened with the configured key. */
    public static final class UnreadableTokenException extends RuntimeException {
        public UnreadableTokenException(String message) {
            super(message, null, false, false);
        }
    }
}
