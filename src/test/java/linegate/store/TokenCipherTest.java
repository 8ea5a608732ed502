package linegate.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AES-256-GCM sealing of page access tokens at rest. */
class TokenCipherTest {
    static final String PAT = "EAAGm0PX4ZCpsBATokenCipherTestPageAccessToken0123456789ZDZD";
    final TokenCipher cipher = new TokenCipher(StoreFixture.MASTER_KEY);

    @Test
    void openReturnsTheSealedToken() {
        String sealed = cipher.seal(new PageAccessToken(PAT));

        assertThat(cipher.open(sealed).reveal()).isEqualTo(PAT);
        assertThat(new TokenCipher(StoreFixture.MASTER_KEY.clone()).open(sealed).reveal())
                .as("another cipher over the same key").isEqualTo(PAT);
    }

    @Test
    void aNonAsciiTokenSurvivesTheRoundTrip() {
        String token = "EAAG-ünïcødé-✓-token";

        assertThat(cipher.open(cipher.seal(new PageAccessToken(token))).reveal()).isEqualTo(token);
    }

    @Test
    void theSealedFormIsV1TheKeyIdAndBase64OfNonceCiphertextAndTag() {
        String sealed = cipher.seal(new PageAccessToken(PAT));

        String[] parts = sealed.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(parts[0]).isEqualTo("v1");
        assertThat(parts[1]).matches("[0-9a-f]{8}");
        byte[] body = Base64.getDecoder().decode(parts[2]);
        assertThat(body).hasSize(12 + PAT.getBytes(StandardCharsets.UTF_8).length + 16);
        assertThat(sealed).doesNotContain(PAT).doesNotContain(PAT.substring(0, 12));
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).doesNotContain(PAT.substring(0, 12));
    }

    @Test
    void twoSealsOfOneTokenDifferBecauseTheNonceIsRandom() {
        PageAccessToken token = new PageAccessToken(PAT);

        String a = cipher.seal(token);
        String b = cipher.seal(token);

        assertThat(a).isNotEqualTo(b);
        byte[] nonceA = Arrays.copyOf(Base64.getDecoder().decode(a.split("\\.")[2]), 12);
        byte[] nonceB = Arrays.copyOf(Base64.getDecoder().decode(b.split("\\.")[2]), 12);
        assertThat(nonceA).isNotEqualTo(nonceB);
        assertThat(cipher.open(a)).isEqualTo(token);
        assertThat(cipher.open(b)).isEqualTo(token);
    }

    @Test
    void aTamperedCiphertextIsUnreadableWithAMessageThatHoldsNoToken() {
        String sealed = cipher.seal(new PageAccessToken(PAT));
        String[] parts = sealed.split("\\.");
        byte[] body = Base64.getDecoder().decode(parts[2]);
        body[20] ^= 0x01;
        String tampered = parts[0] + "." + parts[1] + "." + Base64.getEncoder().encodeToString(body);

        assertThatThrownBy(() -> cipher.open(tampered))
                .isInstanceOf(TokenCipher.UnreadableTokenException.class)
                .hasMessageContaining("corrupt")
                .hasMessageContaining("linegate line update")
                .hasMessageNotContaining(PAT)
                .hasMessageNotContaining(parts[2])
                .satisfies(e -> assertThat(e.getStackTrace()).as("no stack trace to log").isEmpty());
    }

    @Test
    void aTamperedTagOrNonceIsUnreadable() {
        String sealed = cipher.seal(new PageAccessToken(PAT));
        String[] parts = sealed.split("\\.");
        for (int index : new int[] {0, 11, 12 + PAT.length(), 12 + PAT.length() + 15}) {
            byte[] body = Base64.getDecoder().decode(parts[2]);
            body[index] ^= (byte) 0x80;
            String tampered = parts[0] + "." + parts[1] + "." + Base64.getEncoder().encodeToString(body);
            assertThatThrownBy(() -> cipher.open(tampered)).as("byte " + index)
                    .isInstanceOf(TokenCipher.UnreadableTokenException.class);
        }
    }

    @Test
    void truncatedOrNonBase64BodiesAreUnreadableNotACrash() {
        String keyId = cipher.seal(new PageAccessToken(PAT)).split("\\.")[1];

        for (String bad : new String[] {
                "v1." + keyId + ".", "v1." + keyId + ".AAAA", "v1." + keyId + "." + Base64.getEncoder().encodeToString(new byte[20]),
                "v1." + keyId + ".not*base64!"}) {
            assertThatThrownBy(() -> cipher.open(bad)).as(bad)
                    .isInstanceOf(TokenCipher.UnreadableTokenException.class)
                    .hasMessageContaining("corrupt");
        }
    }

    @Test
    void anUnknownFormatIsUnreadable() {
        for (String bad : new String[] {PAT, "v2.abcd.AAAA", "v1.only-two", ""}) {
            assertThatThrownBy(() -> cipher.open(bad)).as(bad)
                    .isInstanceOf(TokenCipher.UnreadableTokenException.class)
                    .hasMessageContaining("format")
                    .hasMessageNotContaining(PAT);
        }
    }

    @Test
    void aTokenSealedUnderAnotherKeyIsReportedAsAKeyMismatchNamingBothKeyIds() {
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 42);
        TokenCipher other = new TokenCipher(otherKey);
        String sealed = other.seal(new PageAccessToken(PAT));
        String sealedKeyId = sealed.split("\\.")[1];
        String ourKeyId = cipher.seal(new PageAccessToken(PAT)).split("\\.")[1];

        assertThat(sealedKeyId).isNotEqualTo(ourKeyId);
        assertThatThrownBy(() -> cipher.open(sealed))
                .isInstanceOf(TokenCipher.UnreadableTokenException.class)
                .hasMessageContaining("another master key")
                .hasMessageContaining(sealedKeyId)
                .hasMessageContaining(ourKeyId)
                .hasMessageContaining("LINEGATE_MASTER_KEY")
                .hasMessageNotContaining(PAT);
    }

    @Test
    void aForgedKeyIdDoesNotGetPastTheTag() {
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 42);
        String[] foreign = new TokenCipher(otherKey).seal(new PageAccessToken(PAT)).split("\\.");
        String ourKeyId = cipher.seal(new PageAccessToken(PAT)).split("\\.")[1];

        assertThatThrownBy(() -> cipher.open("v1." + ourKeyId + "." + foreign[2]))
                .isInstanceOf(TokenCipher.UnreadableTokenException.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void theKeyIdIsTheSameForTheSameKeyAndDiffersForAnother() {
        byte[] otherKey = StoreFixture.MASTER_KEY.clone();
        otherKey[31] ^= 1;

        String id1 = cipher.seal(new PageAccessToken(PAT)).split("\\.")[1];
        String id2 = cipher.seal(new PageAccessToken("EAAGanother")).split("\\.")[1];
        String id3 = new TokenCipher(otherKey).seal(new PageAccessToken(PAT)).split("\\.")[1];

        assertThat(id1).isEqualTo(id2);
        assertThat(id3).isNotEqualTo(id1);
    }

    @Test
    void onlyA32ByteKeyIsAccepted() {
        assertThatThrownBy(() -> new TokenCipher(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenCipher(new byte[33])).isInstanceOf(IllegalArgumentException.class);
    }
}
