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
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window check's reads of {@code conversations}, on both databases, with two nodes on one database: what is
 * answered from memory (only what cannot be wrong) and what is read again.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class ConversationsWindowTest {
    private static final String PEER = "1254477777772919";
    private static final long DAY = Duration.ofHours(24).toMillis();

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    StoreFixture fx;
    Stores node;
    Stores other;
    long line;

    @BeforeEach
    void open() {
        fx = new StoreFixture(db, tmp);
        node = fx.open();
        other = fx.open();
        long account = node.accounts().create("Acme Dental");
        line = node.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(), Optional.of("17841405793187218"),
                Optional.empty(), true, false));
    }

    @AfterEach
    void close() {
        other.close();
        node.close();
    }

    private long now() {
        return fx.clock.millis();
    }

    @Test
    void aTimeInsideTheWindowIsAnsweredFromMemory() {
        long wrote = now() - 1000;
        node.conversations().recordInbound(line, PEER, wrote);
        fx.execute("DELETE FROM conversations");

        assertThat(node.conversations().lastInboundForWindow(line, PEER, now() - DAY)).contains(wrote);
        assertThat(node.conversations().lastInbound(line, PEER)).as("the database no longer has it").isEmpty();
    }

    @Test
    void aTimeBeforeTheWindowIsReadAgainSoANewerMessageOnAnotherNodeCounts() {
        long longAgo = now() - 2 * DAY;
        node.conversations().recordInbound(line, PEER, longAgo);
        assertThat(node.conversations().lastInboundForWindow(line, PEER, now() - DAY)).contains(longAgo);

        long justNow = now() - 10;
        other.conversations().recordInbound(line, PEER, justNow);

        assertThat(node.conversations().lastInboundForWindow(line, PEER, now() - DAY)).contains(justNow);
    }

    @Test
    void aKnownTimeBeforeAWiderWindowsStartIsReadAgain() {
        long threeDaysAgo = now() - 3 * DAY;
        node.conversations().recordInbound(line, PEER, threeDaysAgo);
        long yesterday = now() - DAY / 2;
        other.conversations().recordInbound(line, PEER, yesterday);

        assertThat(node.conversations().lastInboundForWindow(line, PEER, now() - 7 * DAY)).as("inside 7 days: memory")
                .contains(threeDaysAgo);
        assertThat(node.conversations().lastInboundForWindow(line, PEER, now() - DAY)).as("outside 24 h: database")
                .contains(yesterday);
    }

    @Test
    void neverHeardFromIsBelievedForFiveSecondsThenReadAgain() {
        assertThat(node.conversations().lastInboundForWindow(line, PEER, now() - DAY)).isEmpty();
        long longAgo = now() - 2 * DAY;
        other.conversations().recordInbound(line, PEER, longAgo);

        fx.clock.advanceMillis(Conversations.UNKNOWN_PEER_TTL.toMillis() - 1);
        assertThat(node.conversations().lastInboundForWindow(line, PEER, now() - DAY)).isEmpty();
        fx.clock.advanceMillis(1);
        assertThat(node.conversations().lastInboundForWindow(line, PEER, now() - DAY)).contains(longAgo);
    }

    @Test
    void aMessageRecordedOnThisNodeCountsAtOnce() {
        assertThat(node.conversations().lastInboundForWindow(line, PEER, now() - DAY)).isEmpty();

        long wrote = now() - 5;
        node.conversations().recordInbound(line, PEER, wrote);

        assertThat(node.conversations().lastInboundForWindow(line, PEER, now() - DAY)).contains(wrote);
    }

    @Test
    void anOlderMessageAppliedLateDoesNotMoveTheKnownTimeBack() {
        long newer = now() - 10;
        node.conversations().recordInbound(line, PEER, newer);
        node.conversations().recordInbound(line, PEER, newer - DAY);

        assertThat(node.conversations().lastInboundForWindow(line, PEER, now() - DAY)).contains(newer);
        assertThat(node.conversations().lastInbound(line, PEER)).contains(newer);
    }

    @Test
    void peersAndLinesAreKeptApart() {
        node.conversations().recordInbound(line, PEER, now() - 10);

        assertThat(node.conversations().lastInboundForWindow(line, PEER + "0", now() - DAY)).isEmpty();
        assertThat(node.conversations().lastInboundForWindow(line + 1, PEER, now() - DAY)).isEmpty();
    }
}
