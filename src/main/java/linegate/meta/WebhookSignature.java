package linegate.meta;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Meta's webhook signature: {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw body bytes under the
 * app secret. It is computed over the bytes as received (Meta escapes non-ASCII before signing), never over
 * re-serialised JSON, and compared in constant time. Instagram-Login apps may sign with the Instagram app secret
 * instead of the Meta app secret (docs/meta-facts.md, "Webhook signatures"), so any of the configured secrets may match.
 *
 * @see <a href="https://developers.facebook.com/docs/messenger-platform/webhooks#validate-payloads">Validate payloads</a>
 */
public final class WebhookSignature {
    /** The request header of a webhook delivery that carries the signature. */
    public static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";
    private final List<byte[]> secrets;

    public WebhookSignature(List<String> secrets) {
        this.secrets = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public boolean configured() {
        return !secrets.isEmpty();
    }

    /** True when {@code header} is {@code sha256=} and the hex HMAC of {@code body} under one of the secrets. */
    public boolean verify(byte[] body, String header) {
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring(PREFIX.length()).strip());
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        boolean match = false;
        for (byte[] secret : secrets) {
            match |= MessageDigest.isEqual(hmac(secret, body), given); // no early exit: same time whichever matches
        }
        return match;
    }

    /** The header value Meta would send for this body under this secret (for tests and the benchmark). */
    public static String sign(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    private static byte[] hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignature[" + secrets.size() + " secrets, REDACTED]";
    }
}
