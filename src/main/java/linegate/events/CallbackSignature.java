package linegate.events;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The {@code Linegate-Signature} header (docs/api.md, "Callbacks"): {@code t=<unix seconds>,v1=<hex HMAC-SHA256>} of
 * {@code "<t>." + body} keyed with the whole secret string ({@code whsec_} included) as UTF-8, and a second
 * {@code v1=} with the previous secret while a rotation overlaps, so a client verifies with either.
 */
public final class CallbackSignature {
    public static final String HEADER = "Linegate-Signature";

    private CallbackSignature() {
    }

    public static String header(long unixSeconds, byte[] body, String secret, Optional<String> previousSecret) {
        StringBuilder h = new StringBuilder("t=").append(unixSeconds).append(",v1=").append(hmac(secret, unixSeconds, body));
        previousSecret.ifPresent(p -> h.append(",v1=").append(hmac(p, unixSeconds, body)));
        return h.toString();
    }

    private static String hmac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
