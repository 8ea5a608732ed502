package linegate.events;

import linegate.store.Conversations;
import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.events.EventRow;
import linegate.store.events.EventType;
import linegate.testing.StoresPerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scheduled task behind conversation.window_closing: each run warns every window that closes within the warning
 * and was not warned yet, more than one query's worth too, and nothing twice; runs as the clock moves on warn each
 * window as it comes due.
 */
class WindowWarningsTest extends StoresPerTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final long MINUTE = 60_000L;

    WindowWarningsTest() {
        super(T0);
    }

    long account;
    long line;
    WindowWarnings warnings;

    @BeforeEach
    void open() {
        account = stores.accounts().create("Acme Dental");
        line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(),
                Optional.of("17841405793187218"), Optional.empty(), true, false));
        warnings = new WindowWarnings(stores.conversations(), Conversations.STANDARD_WINDOW, Duration.ofMinutes(60),
                clock);
    }

    private List<EventRow> windowEvents() {
        return stores.outbox().after(account, 0, 10_000).stream()
                .filter(e -> e.type() == EventType.WINDOW_CLOSING).toList();
    }

    @Test
    void oneRunWarnsABacklogLargerThanOneQueryAndTheNextRunNothingAgain() {
        int backlog = WindowWarnings.CHUNK + 20;
        long closesIn30Minutes = T0.toEpochMilli() - 23 * 60 * MINUTE - 30 * MINUTE;
        for (int i = 0; i < backlog; i++) {
            stores.conversations().recordInbound(line, "peer-" + i, closesIn30Minutes + i);
        }

        assertThat(warnings.warnDue()).isEqualTo(backlog);
        assertThat(warnings.warnDue()).isZero();
        assertThat(windowEvents()).hasSize(backlog);
    }

    @Test
    void eachWindowIsWarnedWhenItComesDue() {
        long t0 = T0.toEpochMilli();
        stores.conversations().recordInbound(line, "closes-in-90-min", t0 - 22 * 60 * MINUTE - 30 * MINUTE);
        stores.conversations().recordInbound(line, "closes-in-10-min", t0 - 23 * 60 * MINUTE - 50 * MINUTE);

        assertThat(warnings.warnDue()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(29));
        assertThat(warnings.warnDue()).as("90 min - 29 min is still more than the hour").isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(warnings.warnDue()).isEqualTo(1);
        assertThat(windowEvents()).extracting(e -> e.peerId().orElseThrow())
                .containsExactly("closes-in-10-min", "closes-in-90-min");
        assertThat(windowEvents().getFirst().notice().expiresAt()).contains(t0 + 10 * MINUTE);
    }

    @Test
    void theWarningMustFitInsideTheWindow() {
        assertThatThrownBy(() -> new WindowWarnings(stores.conversations(), Conversations.STANDARD_WINDOW,
                Duration.ofHours(24), clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WindowWarnings(stores.conversations(), Conversations.STANDARD_WINDOW,
                Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
