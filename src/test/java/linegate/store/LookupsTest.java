package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cached token and line look-ups (issue 5, part 2) on both databases. "This node" and "another node" are two
 * {@link Stores} on one database, as two serve processes would be; the test runs the poll by hand and moves the clock.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class LookupsTest {
    private static final PageAccessToken PAT = new PageAccessToken("EAAGm0PX4ZCpsBALookupsTestToken0123456789");
    private static final PageAccessToken PAT2 = new PageAccessToken("EAAGm0PX4ZCpsBALookupsTestTokenTwo98765");
    private static final long INTERVAL = Stores.LOOKUP_REFRESH.toMillis();

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    StoreFixture fx;
    Stores node;
    Stores other;
    long account;
    Tokens.Created token;
    long line;

    @BeforeEach
    void open() {
        fx = new StoreFixture(db, tmp);
        node = fx.open();
        other = fx.open();
        account = node.accounts().create("Acme Dental");
        token = node.tokens().create(account, "crm");
        line = node.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.of(PAT), Optional.of("17841405793187218"),
                Optional.empty(), true, false));
        node.lookups().refresh();
    }

    @AfterEach
    void close() {
        other.close();
        node.close();
    }

    @Test
    void aTokenRevokedOnAnotherNodeIsHonouredHereAtTheNextPollAndNotBefore() {
        assertThat(node.lookups().accountOf(token.tsid())).contains(account);

        other.tokens().revoke(token.id());

        assertThat(node.lookups().accountOf(token.tsid())).as("cached until the next poll").contains(account);
        node.lookups().refresh();
        assertThat(node.lookups().accountOf(token.tsid())).isEmpty();
    }

    @Test
    void aLineUpdatedOnAnotherNodeIsSeenHereAtTheNextPoll() {
        assertThat(node.lookups().lineForAccount(account, line)).hasValueSatisfying(l -> assertThat(l.active()).isTrue());

        other.lines().update(line, new LineChanges(Optional.of(PAT2), Optional.of(false), Optional.of(true)));

        assertThat(node.lookups().lineForAccount(account, line).orElseThrow().active()).as("cached until the next poll").isTrue();
        node.lookups().refresh();
        Line seen = node.lookups().lineForAccount(account, line).orElseThrow();
        assertThat(seen.active()).isFalse();
        assertThat(seen.humanAgent()).isTrue();
        assertThat(seen.pageToken().orElseThrow().reveal()).isEqualTo(PAT2.reveal());
    }

    @Test
    void aChangeMadeThroughThisNodeTakesEffectHereAtOnce() {
        assertThat(node.lookups().accountOf(token.tsid())).contains(account);
        assertThat(node.lookups().lineForAccount(account, line).orElseThrow().active()).isTrue();

        node.tokens().revoke(token.id());
        node.lines().update(line, new LineChanges(Optional.empty(), Optional.of(false), Optional.empty()));

        assertThat(node.lookups().accountOf(token.tsid())).isEmpty();
        assertThat(node.lookups().lineForAccount(account, line).orElseThrow().active()).isFalse();
    }

    @Test
    void sqlTypedByHandMovesTheGenerationToo() {
        assertThat(node.lookups().accountOf(token.tsid())).contains(account);
        assertThat(node.lookups().lineForAccount(account, line)).isPresent();

        assertThat(fx.execute("UPDATE lines SET active = ? WHERE id = ?", false, line)).isEqualTo(1);
        assertThat(fx.execute("DELETE FROM api_tokens WHERE id = ?", token.id())).isEqualTo(1);
        node.lookups().refresh();

        assertThat(node.lookups().accountOf(token.tsid())).isEmpty();
        assertThat(node.lookups().lineForAccount(account, line).orElseThrow().active()).isFalse();
    }

    @Test
    void withoutASuccessfulPollForThreeIntervalsTheCacheIsNotTrusted() {
        assertThat(node.lookups().accountOf(token.tsid())).contains(account);
        other.tokens().revoke(token.id());

        fx.clock.advanceMillis(3 * INTERVAL - 1);
        assertThat(node.lookups().accountOf(token.tsid())).as("within the bound").contains(account);
        fx.clock.advanceMillis(1);
        assertThat(node.lookups().accountOf(token.tsid())).as("past the bound, from the database").isEmpty();
    }

    @Test
    void aPollThatFailsNeitherThrowsNorExtendsTheCache() {
        LookupEpoch epoch = new LookupEpoch();
        Tokens tokens = new Tokens(node.db(), fx.clock, epoch);
        Lines lines = new Lines(node.db(), new TokenCipher(StoreFixture.MASTER_KEY), fx.clock, epoch, NoticeRecorder.NONE);
        AtomicBoolean databaseDown = new AtomicBoolean();
        Lookups lookups = new Lookups(tokens, lines, epoch, () -> {
            if (databaseDown.get()) {
                throw new StoreUnavailableException("database unreachable", null);
            }
            return 7;
        }, fx.clock, Stores.LOOKUP_REFRESH);
        lookups.refresh();
        assertThat(lookups.accountOf(token.tsid())).contains(account);
        other.tokens().revoke(token.id());

        databaseDown.set(true);
        fx.clock.advanceMillis(INTERVAL);
        lookups.refresh();
        assertThat(lookups.accountOf(token.tsid())).as("the last good poll is recent").contains(account);
        fx.clock.advanceMillis(2 * INTERVAL);
        lookups.refresh();

        assertThat(lookups.accountOf(token.tsid())).isEmpty();
    }

    @Test
    void beforeTheFirstPollNothingIsCached() {
        Stores fresh = fx.open();
        try {
            assertThat(fresh.lookups().accountOf(token.tsid())).contains(account);
            other.tokens().revoke(token.id());

            assertThat(fresh.lookups().accountOf(token.tsid())).isEmpty();
        } finally {
            fresh.close();
        }
    }

    @Test
    void aNewTokenAndANewLineWorkOnEveryNodeAtOnce() {
        assertThat(node.lookups().lineForAccount(account, line + 1)).isEmpty();

        Tokens.Created second = other.tokens().create(account, "second");
        long secondLine = other.lines().create(new NewLine(account, LineClass.MESSENGER, Optional.of(PAT),
                Optional.empty(), Optional.of("1234567890"), true, false));

        assertThat(secondLine).isEqualTo(line + 1);
        assertThat(node.lookups().accountOf(second.tsid())).contains(account);
        assertThat(node.lookups().lineForAccount(account, secondLine)).isPresent();
    }

    @Test
    void aLineOfAnotherAccountIsNotFound() {
        long stranger = node.accounts().create("Other Clinic");

        assertThat(node.lookups().lineForAccount(stranger, line)).isEmpty();
        assertThat(node.lookups().lineForAccount(account, line)).isPresent();
        assertThat(node.lookups().lineForAccount(stranger, line)).as("not served from the owner's entry").isEmpty();
    }
}
