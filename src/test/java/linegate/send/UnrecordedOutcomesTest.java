package linegate.send;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.store.LogOutcome;
import linegate.store.LoggedError;
import linegate.store.MessageChange;
import linegate.store.MessageLogWriter;
import linegate.store.NewLogEntry;
import linegate.store.StoreUnavailableException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Held outcomes: kept while the database refuses, written in order once it takes them, and bounded. */
class UnrecordedOutcomesTest {
    /** A log writer whose database is down until told otherwise; it records the finishes it took. */
    static final class FlakyLog implements MessageLogWriter {
        boolean down = true;
        final List<Long> finished = new ArrayList<>();

        @Override
        public MessageChange append(NewLogEntry entry) {
            throw new UnsupportedOperationException("only finishes are held");
        }

        @Override
        public List<MessageChange> finish(long id, LogOutcome outcome) {
            if (down) {
                throw new StoreUnavailableException("database unavailable: connection refused", null);
            }
            finished.add(id);
            return List.of();
        }
    }

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final FlakyLog db = new FlakyLog();
    private final UnrecordedOutcomes held = new UnrecordedOutcomes(db, 2, metrics);

    private static LogOutcome sent(String mid) {
        return new LogOutcome.Sent(mid, 1);
    }

    @Test
    void heldOutcomesWaitForTheDatabaseThenAreWrittenOldestFirst() {
        held.hold(7, sent("m_7"));
        held.hold(5, new LogOutcome.Failed(LoggedError.local(260, "Rate limited", "local limit"), 1));

        held.retry();

        assertThat(held.ids()).containsExactlyInAnyOrder(5L, 7L);
        assertThat(held.find(7)).contains(sent("m_7"));
        db.down = false;
        held.retry();
        assertThat(db.finished).containsExactly(5L, 7L);
        assertThat(held.ids()).isEmpty();
        assertThat(metrics.get("linegate.log.unrecorded.recorded").counter().count()).isEqualTo(2);
        assertThat(metrics.get("linegate.log.unrecorded").gauge().value()).isZero();
    }

    @Test
    void beyondCapacityAnOutcomeIsDroppedAndCounted() {
        assertThat(held.hold(1, sent("m_1"))).isTrue();
        assertThat(held.hold(2, sent("m_2"))).isTrue();

        assertThat(held.hold(3, sent("m_3"))).isFalse();

        assertThat(held.ids()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(metrics.get("linegate.log.unrecorded.dropped").counter().count()).isEqualTo(1);
        assertThat(metrics.get("linegate.log.unrecorded").gauge().value()).isEqualTo(2);
    }

    @Test
    void atStopWhatTheDatabaseStillRefusesIsGivenUpAndCounted() {
        held.hold(1, sent("m_1"));

        held.abandon();

        assertThat(held.ids()).isEmpty();
        assertThat(db.finished).isEmpty();
        assertThat(metrics.get("linegate.log.unrecorded.dropped").counter().count()).isEqualTo(1);
    }
}
