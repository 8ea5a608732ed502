package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lines on SQLite and PostgreSQL, with their page access tokens sealed at rest. */
class LinesTest extends StoreTestBase {
    static final String PAT = "EAAGm0PX4ZCpsBALinesTestPageAccessToken0123456789ZDZD";
    static final String PAT2 = "EAAGm0PX4ZCpsBASecondPageAccessToken9876543210wxyz";
    static final String IG = "17841405793187218";
    static final String PAGE = "106540352242922";


    /** Lines created so far by {@link #instagramLine}: the first holds {@link #IG}, each later one an id of its own. */
    private int instagramLines;

    private long instagramLine(long accountId, Optional<String> token) {
        String ig = instagramLines++ == 0 ? IG : IG.substring(0, IG.length() - 3) + String.format("%03d", instagramLines);
        return stores.lines().create(new NewLine(accountId, LineClass.INSTAGRAM, token.map(PageAccessToken::new),
                Optional.of(ig), Optional.empty(), true, false));
    }

    @Test
    void createsAnInstagramLineAndReadsItBackWithEveryField() {
        long id = instagramLine(account, Optional.of(PAT));

        Line line = stores.lines().find(id).orElseThrow();
        assertThat(line.id()).isEqualTo(id);
        assertThat(line.accountId()).isEqualTo(account);
        assertThat(line.lineClass()).isEqualTo(LineClass.INSTAGRAM);
        assertThat(line.active()).isTrue();
        assertThat(line.igAccountId()).contains(IG);
        assertThat(line.pageId()).isEmpty();
        assertThat(line.pageToken().map(PageAccessToken::reveal)).contains(PAT);
        assertThat(line.pageTokenUnreadable()).isFalse();
        assertThat(line.humanAgent()).isFalse();
        assertThat(line.createdAtMillis()).isEqualTo(StoreFixture.T0.toEpochMilli());
        assertThat(line.updatedAtMillis()).isEqualTo(StoreFixture.T0.toEpochMilli());
    }

    @Test
    void createsAnInactiveMessengerLineWithHumanAgentAndNoToken() {
        long id = stores.lines().create(new NewLine(account, LineClass.MESSENGER, Optional.empty(), Optional.empty(),
                Optional.of(PAGE), false, true));

        Line line = stores.lines().find(id).orElseThrow();
        assertThat(line.lineClass()).isEqualTo(LineClass.MESSENGER);
        assertThat(line.active()).isFalse();
        assertThat(line.humanAgent()).isTrue();
        assertThat(line.pageId()).contains(PAGE);
        assertThat(line.igAccountId()).isEmpty();
        assertThat(line.pageToken()).isEmpty();
        assertThat(line.pageTokenUnreadable()).isFalse();
        assertThat(fx.one("SELECT page_token_sealed FROM lines WHERE id = ?", id).get("page_token_sealed")).isNull();
    }

    @Test
    void aSecondActiveLineOnOneInstagramAccountIsRefusedWithWhoHoldsIt() {
        long other = stores.accounts().create("Other Clinic");
        long first = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.of(new PageAccessToken(PAT)),
                Optional.of(IG), Optional.empty(), true, false));

        assertThatThrownBy(() -> stores.lines().create(new NewLine(other, LineClass.INSTAGRAM, Optional.empty(),
                Optional.of(IG), Optional.empty(), true, false)))
                .isInstanceOf(MetaIdInUseException.class)
                .hasMessageContaining("Instagram account " + IG)
                .hasMessageContaining("already belongs to active line " + first + " of account " + account)
                .hasMessageContaining("linegate line update " + first + " --active false")
                .hasMessageNotContaining(PAT);
        assertThat(stores.lines().list(Optional.of(other))).isEmpty();
        assertThat(stores.lines().findActiveByIgAccountId(IG)).get().extracting(Line::id).isEqualTo(first);
    }

    @Test
    void aSecondActiveLineOnOnePageIsRefused() {
        long first = stores.lines().create(new NewLine(account, LineClass.MESSENGER, Optional.empty(), Optional.empty(),
                Optional.of(PAGE), true, false));

        assertThatThrownBy(() -> stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(),
                Optional.of(IG), Optional.of(PAGE), true, false)))
                .isInstanceOf(MetaIdInUseException.class)
                .hasMessageContaining("Facebook Page " + PAGE + " (--page-id) already belongs to active line " + first);
        assertThat(stores.lines().list(Optional.empty())).extracting(Line::id).containsExactly(first);
    }

    @Test
    void anInactiveLineMayShareAnIdButCannotBeActivatedWhileAnotherHoldsIt() {
        long first = instagramLine(account, Optional.of(PAT));
        long spare = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(), Optional.of(IG),
                Optional.empty(), false, false));

        assertThatThrownBy(() -> stores.lines().update(spare, new LineChanges(Optional.empty(), Optional.of(true),
                Optional.empty())))
                .isInstanceOf(MetaIdInUseException.class)
                .hasMessageContaining("already belongs to active line " + first);
        assertThat(stores.lines().find(spare).orElseThrow().active()).isFalse();

        stores.lines().update(first, new LineChanges(Optional.empty(), Optional.of(false), Optional.empty()));
        assertThat(stores.lines().update(spare, new LineChanges(Optional.empty(), Optional.of(true), Optional.empty()))
                .active()).isTrue();
        assertThat(stores.lines().findActiveByIgAccountId(IG)).get().extracting(Line::id).isEqualTo(spare);
    }

    @Test
    void theDatabaseRefusesASecondActiveHolderWrittenBehindLinegatesBack() {
        instagramLine(account, Optional.of(PAT));

        assertThatThrownBy(() -> fx.execute("INSERT INTO lines (account_id, class, active, ig_account_id, human_agent,"
                + " created_at, updated_at) VALUES (?, 'instagram', TRUE, ?, FALSE, 0, 0)", account, IG))
                .hasStackTraceContaining(db == TestDb.SQLITE ? "UNIQUE constraint failed: lines.ig_account_id"
                        : "lines_active_ig_account");
    }

    @Test
    void creatingForAnUnknownAccountIsNotFoundAndStoresNothing() {
        assertThatThrownBy(() -> instagramLine(account + 7, Optional.of(PAT)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("account " + (account + 7));
        assertThat(fx.query("SELECT id FROM lines")).isEmpty();
    }

    @Test
    void idsOfMetaAccountsMustBeDigits() {
        assertThatThrownBy(() -> new NewLine(account, LineClass.INSTAGRAM, Optional.empty(), Optional.of("@acme"),
                Optional.empty(), true, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--ig-account-id");
        assertThatThrownBy(() -> new NewLine(account, LineClass.MESSENGER, Optional.empty(), Optional.empty(),
                Optional.of("12a"), true, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--page-id");
    }

    @Test
    void theSealedColumnStartsWithV1AndDoesNotContainTheToken() {
        long id = instagramLine(account, Optional.of(PAT));

        String sealed = (String) fx.one("SELECT page_token_sealed FROM lines WHERE id = ?", id).get("page_token_sealed");
        assertThat(sealed).startsWith("v1.").doesNotContain(PAT).doesNotContain(PAT.substring(10, 30));
        fx.query("SELECT * FROM lines").forEach(row -> row.values()
                .forEach(v -> assertThat(String.valueOf(v)).doesNotContain(PAT.substring(10, 30))));
    }

    @Test
    void theSqliteFilesNeverContainThePageToken() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(db == TestDb.SQLITE, "reads the SQLite files");
        instagramLine(account, Optional.of(PAT));
        stores.close();
        stores = fx.open();

        byte[] needle = PAT.substring(10, 30).getBytes(StandardCharsets.US_ASCII);
        try (var files = Files.list(tmp)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("linegate.db")).toList()) {
                assertThat(TokensTest.indexOf(Files.readAllBytes(f), needle)).as(f.toString()).isEqualTo(-1);
            }
        }
    }

    @Test
    void aLineReadWithAnotherMasterKeyHasAnUnreadableTokenAndNoException() {
        long id = instagramLine(account, Optional.of(PAT));
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 7);

        try (Stores other = fx.open(otherKey)) {
            Line line = other.lines().find(id).orElseThrow();
            assertThat(line.pageTokenUnreadable()).isTrue();
            assertThat(line.pageToken()).isEmpty();
            assertThat(line.igAccountId()).contains(IG);
            assertThat(other.lines().list(Optional.of(account))).singleElement()
                    .satisfies(l -> assertThat(l.pageTokenUnreadable()).isTrue());
            assertThat(other.lines().findForAccount(account, id)).get()
                    .satisfies(l -> assertThat(l.pageToken()).isEmpty());
        }
        assertThat(stores.lines().find(id).orElseThrow().pageToken().map(PageAccessToken::reveal)).contains(PAT);
    }

    @Test
    void updateWithANewTokenRepairsALineSealedUnderAnotherKey() {
        long id = instagramLine(account, Optional.of(PAT));
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 7);

        try (Stores other = fx.open(otherKey)) {
            Line keptUnreadable = other.lines().update(id, new LineChanges(Optional.empty(), Optional.of(false), Optional.empty()));
            assertThat(keptUnreadable.pageTokenUnreadable()).isTrue();
            assertThat(keptUnreadable.active()).isFalse();
            assertThat(stores.lines().find(id).orElseThrow().pageToken().map(PageAccessToken::reveal))
                    .as("the token sealed under the first key survives an update that does not give one").contains(PAT);

            Line repaired = other.lines().update(id, new LineChanges(Optional.of(new PageAccessToken(PAT2)),
                    Optional.empty(), Optional.empty()));
            assertThat(repaired.pageTokenUnreadable()).isFalse();
            assertThat(repaired.pageToken().map(PageAccessToken::reveal)).contains(PAT2);
        }
    }

    @Test
    void updateWithoutATokenKeepsTheTokenAndChangesTheRest() {
        long id = instagramLine(account, Optional.of(PAT));
        String sealedBefore = (String) fx.one("SELECT page_token_sealed FROM lines WHERE id = ?", id).get("page_token_sealed");
        fx.clock.advanceMillis(90_000);

        Line updated = stores.lines().update(id, new LineChanges(Optional.empty(), Optional.of(false), Optional.of(true)));

        assertThat(updated.pageToken().map(PageAccessToken::reveal)).contains(PAT);
        assertThat(updated.active()).isFalse();
        assertThat(updated.humanAgent()).isTrue();
        assertThat(updated.createdAtMillis()).isEqualTo(StoreFixture.T0.toEpochMilli());
        assertThat(updated.updatedAtMillis()).isEqualTo(StoreFixture.T0.toEpochMilli() + 90_000);
        assertThat(fx.one("SELECT page_token_sealed FROM lines WHERE id = ?", id).get("page_token_sealed")).isEqualTo(sealedBefore);
        assertThat(stores.lines().find(id)).contains(updated);
    }

    @Test
    void updateWithATokenReplacesItAndKeepsTheRest() {
        long id = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.of(new PageAccessToken(PAT)),
                Optional.of(IG), Optional.empty(), false, true));

        Line updated = stores.lines().update(id, new LineChanges(Optional.of(new PageAccessToken(PAT2)), Optional.empty(),
                Optional.empty()));

        assertThat(updated.pageToken().map(PageAccessToken::reveal)).contains(PAT2);
        assertThat(updated.active()).isFalse();
        assertThat(updated.humanAgent()).isTrue();
        String sealed = (String) fx.one("SELECT page_token_sealed FROM lines WHERE id = ?", id).get("page_token_sealed");
        assertThat(sealed).startsWith("v1.").doesNotContain(PAT2);
        assertThat(stores.lines().find(id).orElseThrow().pageToken().map(PageAccessToken::reveal)).contains(PAT2);
    }

    @Test
    void updateCanGiveATokenToALineThatHadNone() {
        long id = instagramLine(account, Optional.empty());

        Line updated = stores.lines().update(id, new LineChanges(Optional.of(new PageAccessToken(PAT)), Optional.empty(),
                Optional.empty()));

        assertThat(updated.pageToken().map(PageAccessToken::reveal)).contains(PAT);
        assertThat(updated.active()).isTrue();
    }

    @Test
    void updatingAnUnknownLineIsNotFound() {
        long id = instagramLine(account, Optional.of(PAT));

        assertThatThrownBy(() -> stores.lines().update(id + 5, new LineChanges(Optional.empty(), Optional.of(false),
                Optional.empty())))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("line " + (id + 5));
        assertThat(stores.lines().find(id).orElseThrow().active()).isTrue();
    }

    @Test
    void findForAccountDoesNotFindAnotherAccountsLine() {
        long other = stores.accounts().create("Other Clinic");
        long mine = instagramLine(account, Optional.of(PAT));
        long theirs = instagramLine(other, Optional.of(PAT2));

        assertThat(stores.lines().findForAccount(account, mine)).get().extracting(Line::id).isEqualTo(mine);
        assertThat(stores.lines().findForAccount(account, theirs)).isEmpty();
        assertThat(stores.lines().findForAccount(other, mine)).isEmpty();
        assertThat(stores.lines().findForAccount(account, theirs + 100)).isEmpty();
        assertThat(stores.lines().find(theirs + 100)).isEmpty();
    }

    @Test
    void listReturnsEveryLineByIdOrOnlyOneAccountsLines() {
        long other = stores.accounts().create("Other Clinic");
        long a1 = instagramLine(account, Optional.of(PAT));
        long b1 = instagramLine(other, Optional.empty());
        long a2 = stores.lines().create(new NewLine(account, LineClass.MESSENGER, Optional.empty(), Optional.empty(),
                Optional.of(PAGE), true, false));

        assertThat(stores.lines().list(Optional.empty())).extracting(Line::id).containsExactly(a1, b1, a2);
        assertThat(stores.lines().list(Optional.of(account))).extracting(Line::id).containsExactly(a1, a2);
        assertThat(stores.lines().list(Optional.of(other))).extracting(Line::id).containsExactly(b1);
        assertThat(stores.lines().list(Optional.of(other + 100))).isEmpty();
    }

    @Test
    void aLinePrintedNeverShowsItsToken() {
        long id = instagramLine(account, Optional.of(PAT));

        Line line = stores.lines().find(id).orElseThrow();
        assertThat(line.toString()).doesNotContain(PAT).doesNotContain(PAT.substring(PAT.length() - 8)).contains("REDACTED");
        List<Line> all = stores.lines().list(Optional.empty());
        assertThat(all.toString()).doesNotContain(PAT);
    }
}
