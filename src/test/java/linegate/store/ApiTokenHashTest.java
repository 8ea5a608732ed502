package linegate.store;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** API tokens as issued and as kept (SHA-256 hex only). */
class ApiTokenHashTest {
    @Test
    void aNewTokenIsLgtAnd43Base64UrlCharactersOf32RandomBytes() {
        String token = ApiTokenHash.newToken();

        assertThat(token).hasSize(47).matches("lgt_[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token.substring(4))).hasSize(32);
    }

    @Test
    void newTokensDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(ApiTokenHash.newToken())).isTrue();
        }
    }

    @Test
    void theHashIsTheSha256HexOfTheTokensUtf8Bytes() {
        assertThat(ApiTokenHash.of("abc").hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiTokenHash.of("").hex())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void matchesTheHashOfTheSameTokenOnly() {
        String token = ApiTokenHash.newToken();
        ApiTokenHash hash = ApiTokenHash.of(token);

        assertThat(hash.matches(ApiTokenHash.of(token))).isTrue();
        assertThat(hash.matches(new ApiTokenHash(hash.hex()))).isTrue();
        assertThat(hash.matches(ApiTokenHash.of(token + "x"))).isFalse();
        assertThat(hash.matches(ApiTokenHash.of(ApiTokenHash.newToken()))).isFalse();
        String flipped = (hash.hex().charAt(63) == '0' ? "1" : "0");
        assertThat(hash.matches(new ApiTokenHash(hash.hex().substring(0, 63) + flipped))).isFalse();
    }

    @Test
    void onlyA64CharacterLowerCaseHexDigestIsAHash() {
        assertThatThrownBy(() -> new ApiTokenHash(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiTokenHash("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiTokenHash("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiTokenHash("lgt_" + "a".repeat(60))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void printingAHashShowsOnlyItsFirstEightCharacters() {
        ApiTokenHash hash = ApiTokenHash.of("abc");

        assertThat(hash.toString()).contains("ba7816bf").doesNotContain(hash.hex()).doesNotContain("ba7816bf8f");
    }
}
