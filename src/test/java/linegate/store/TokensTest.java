package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** API tokens (tsid) on SQLite and PostgreSQL: only their SHA-256 is ever stored. */
class TokensTest extends StoreTestBase {
    @Test
    void aCreatedTsidResolvesToItsAccount() {
        Tokens.Created created = stores.tokens().create(account, "crm");

        assertThat(created.tsid()).matches("lgt_[A-Za-z0-9_-]{43}");
        assertThat(stores.tokens().accountOf(created.tsid())).contains(account);
    }

    @Test
    void eachTokenResolvesToItsOwnAccount() {
        long other = stores.accounts().create("Other Clinic");
        Tokens.Created mine = stores.tokens().create(account, null);
        Tokens.Created theirs = stores.tokens().create(other, null);

        assertThat(theirs.id()).isGreaterThan(mine.id());
        assertThat(theirs.tsid()).isNotEqualTo(mine.tsid());
        assertThat(stores.tokens().accountOf(mine.tsid())).contains(account);
        assertThat(stores.tokens().accountOf(theirs.tsid())).contains(other);
    }

    @Test
    void anUnknownTsidResolvesToNothing() {
        Tokens.Created created = stores.tokens().create(account, null);

        assertThat(stores.tokens().accountOf("lgt_nope")).isEmpty();
        assertThat(stores.tokens().accountOf(created.tsid() + "x")).isEmpty();
        assertThat(stores.tokens().accountOf(created.tsid().substring(0, created.tsid().length() - 1))).isEmpty();
        assertThat(stores.tokens().accountOf("")).isEmpty();
    }

    @Test
    void theDatabaseHoldsOnlyTheSha256HexOfTheToken() throws Exception {
        Tokens.Created created = stores.tokens().create(account, "crm");

        Map<String, Object> row = fx.one("SELECT * FROM api_tokens WHERE id = ?", created.id());
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(created.tsid().getBytes(StandardCharsets.UTF_8)));
        assertThat(row.get("token_hash")).isEqualTo(expected);
        assertThat(StoreFixture.asLong(row.get("account_id"))).isEqualTo(account);
        assertThat(row.get("label")).isEqualTo("crm");
        assertThat(StoreFixture.asLong(row.get("created_at"))).isEqualTo(StoreFixture.T0.toEpochMilli());
        assertThat(row.get("revoked_at")).isNull();
        String secretPart = created.tsid().substring(4);
        assertThat(row.values()).allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(secretPart));
    }

    @Test
    void theSqliteFilesNeverContainTheToken() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(db == TestDb.SQLITE, "reads the SQLite files");
        Tokens.Created created = stores.tokens().create(account, "crm");
        stores.close();
        stores = fx.open();

        byte[] needle = created.tsid().substring(4).getBytes(StandardCharsets.US_ASCII);
        try (var files = java.nio.file.Files.list(tmp)) {
            List<Path> dbFiles = files.filter(p -> p.getFileName().toString().startsWith("linegate.db")).toList();
            assertThat(dbFiles).isNotEmpty();
            for (Path f : dbFiles) {
                assertThat(indexOf(java.nio.file.Files.readAllBytes(f), needle)).as(f.toString()).isEqualTo(-1);
            }
        }
    }

    @Test
    void revokeMakesTheTokenResolveToNothing() {
        Tokens.Created created = stores.tokens().create(account, null);
        Tokens.Created kept = stores.tokens().create(account, null);
        fx.clock.advanceMillis(5_000);

        stores.tokens().revoke(created.id());

        assertThat(stores.tokens().accountOf(created.tsid())).isEmpty();
        assertThat(stores.tokens().accountOf(kept.tsid())).contains(account);
        Map<String, Object> row = fx.one("SELECT revoked_at FROM api_tokens WHERE id = ?", created.id());
        assertThat(StoreFixture.asLong(row.get("revoked_at"))).isEqualTo(StoreFixture.T0.toEpochMilli() + 5_000);
    }

    @Test
    void revokingTwiceIsFineAndKeepsTheFirstRevocationTime() {
        Tokens.Created created = stores.tokens().create(account, null);
        stores.tokens().revoke(created.id());
        long firstRevokedAt = StoreFixture.asLong(fx.one("SELECT revoked_at FROM api_tokens WHERE id = ?", created.id())
                .get("revoked_at"));
        fx.clock.advanceMillis(60_000);

        stores.tokens().revoke(created.id());

        assertThat(stores.tokens().accountOf(created.tsid())).isEmpty();
        assertThat(StoreFixture.asLong(fx.one("SELECT revoked_at FROM api_tokens WHERE id = ?", created.id())
                .get("revoked_at"))).isEqualTo(firstRevokedAt);
    }

    @Test
    void revokingAnUnknownIdIsNotFound() {
        Tokens.Created created = stores.tokens().create(account, null);

        assertThatThrownBy(() -> stores.tokens().revoke(created.id() + 100))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("token " + (created.id() + 100));
        assertThat(stores.tokens().accountOf(created.tsid())).contains(account);
    }

    @Test
    void creatingForAnUnknownAccountIsNotFoundAndStoresNothing() {
        assertThatThrownBy(() -> stores.tokens().create(account + 100, "crm"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("account " + (account + 100));
        assertThat(fx.query("SELECT id FROM api_tokens")).isEmpty();
    }

    @Test
    void createdNeverPrintsTheTsid() {
        Tokens.Created created = stores.tokens().create(account, null);

        assertThat(created.toString()).doesNotContain(created.tsid()).doesNotContain(created.tsid().substring(4, 12))
                .contains("id=" + created.id()).contains("REDACTED");
    }

    @Test
    void everyTokenIsDifferent() {
        List<String> tsids = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> stores.tokens().create(account, null).tsid()).toList();

        assertThat(tsids).doesNotHaveDuplicates();
        tsids.forEach(t -> assertThat(stores.tokens().accountOf(t)).isEqualTo(Optional.of(account)));
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
