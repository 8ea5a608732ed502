package linegate.events;

import linegate.store.ClosingWindow;
import linegate.store.Conversations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Writes conversation.window_closing (docs/api.md, "Events"): once per window, when a customer's 24-hour window closes
 * within LINEGATE_WINDOW_WARNING_MINUTES. Each run finds the windows due and claims each one
 * ({@link Conversations#warn}, a compare-and-set in the event's transaction), so with several nodes scanning, each
 * window is warned by one of them. A window that closed while no node ran is past helping and is not warned.
 */
public final class WindowWarnings implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(WindowWarnings.class);
    /** How often the task runs: a warning is at most this late. */
    public static final Duration EVERY = Duration.ofSeconds(30);
    /** Windows read per query; a run goes on while queries come back full, up to {@link #MAX_PER_RUN}. */
    static final int CHUNK = 500;
    /** Warnings written per run at most, so one run never holds the scheduler thread for long. */
    static final int MAX_PER_RUN = 20_000;

    private final Conversations conversations;
    private final Duration window;
    private final Duration warning;
    private final Clock clock;

    /** @param warning how long before the window closes it is warned about; positive, shorter than the window */
    public WindowWarnings(Conversations conversations, Duration window, Duration warning, Clock clock) {
        if (warning.isNegative() || warning.isZero() || warning.compareTo(window) >= 0) {
            throw new IllegalArgumentException("the warning must be positive and shorter than the window, got "
                    + warning);
        }
        this.conversations = conversations;
        this.window = window;
        this.warning = warning;
        this.clock = clock;
    }

    /** Runs on the maintenance scheduler: a failure is logged and the next run tries again. */
    @Override
    public void run() {
        try {
            warnDue();
        } catch (RuntimeException e) {
            LOG.warn("closing windows could not be warned about ({}); the next run in {} tries again", e.getMessage(),
                    EVERY);
        }
    }

    /** Warns about every window due now that is not warned yet; how many this run claimed. */
    public int warnDue() {
        long now = clock.millis();
        long openedAfter = now - window.toMillis();
        long openedUpTo = openedAfter + warning.toMillis();
        int warned = 0;
        for (int read = 0; read < MAX_PER_RUN; ) {
            List<ClosingWindow> due = conversations.closingWindows(openedAfter, openedUpTo, window, CHUNK);
            for (ClosingWindow w : due) {
                if (conversations.warn(w)) {
                    warned++;
                }
            }
            read += due.size();
            if (due.size() < CHUNK) {
                break;
            }
        }
        if (warned > 0) {
            LOG.debug("warned about {} closing windows", warned);
        }
        return warned;
    }
}
