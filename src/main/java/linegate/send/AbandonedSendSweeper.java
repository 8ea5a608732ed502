package linegate.send;

import linegate.store.MessageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Finds rows left {@code accepted} by a process that stopped between writing the row and recording Meta's answer
 * (a crash, a kill, a database that failed at that moment) and marks them {@code unknown}: nothing accepted vanishes
 * or stays in limbo. Safe with several nodes: a row is abandoned only once it is older than any live send can be.
 */
public final class AbandonedSendSweeper implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AbandonedSendSweeper.class);
    private final MessageLog log;
    private final Clock clock;
    private final Duration age;

    /**
     * @param graphTimeout a live send waits at most twice this (for a slot to call Meta, then for Meta's answer); rows
     *                     older than three times it, and at least five minutes, are abandoned
     */
    public AbandonedSendSweeper(MessageLog log, Clock clock, Duration graphTimeout) {
        this.log = log;
        this.clock = clock;
        this.age = Duration.ofMinutes(5).compareTo(graphTimeout.multipliedBy(3)) > 0
                ? Duration.ofMinutes(5) : graphTimeout.multipliedBy(3);
    }

    @Override
    public void run() {
        try {
            long now = clock.millis();
            int n = log.markAbandonedAsUnknown(now - age.toMillis(), now);
            if (n > 0) {
                LOG.warn("marked {} abandoned accepted rows (older than {} s) as unknown", n, age.toSeconds());
            }
        } catch (RuntimeException e) {
            LOG.warn("sweeping abandoned rows failed, will retry: {}", e.getMessage());
        }
    }
}
