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

    public String seal(PageAccessToken token) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(AAD);
            byte[] ct = c.doFinal(token.reveal().getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + ct.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(ct, 0, out, nonce.length, ct.length);
            return "v1." + keyId + "." + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public PageAccessToken open(String sealed) {
        String[] parts = sealed.split("\\.", 3);
        if (parts.length != 3 || !parts[0].equals("v1")) {
            throw new UnreadableTokenException("the stored page access token is not in a format this version reads");
        }
        if (!parts[1].equals(keyId)) {
            throw new UnreadableTokenException("the stored page access token was encrypted under another master key (key id "
                    + parts[1] + ", configured key id " + keyId + "): restore that LINEGATE_MASTER_KEY, or set the token again"
                    + " with 'linegate line update ID --page-token PAT'");
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            c.updateAAD(AAD);
            return new PageAccessToken(new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8));
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new UnreadableTokenException("the stored page access token is corrupt (authentication tag mismatch):"
                    + " set it again with 'linegate line update ID --page-token PAT'");
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
