package linegate.send;

import linegate.store.MessageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Finds rows left {@code accepted} by a send that stopped between writing the row and recording Meta's answer (a
 * crash, a kill, a database that failed at that moment) and marks them {@code unknown}: nothing accepted vanishes or
 * stays in limbo.
 * <ul>
 *   <li>Rows of a node that is gone (stopped, or its heartbeat silent for {@link NodeHeartbeat#GONE_AFTER}) at once.</li>
 *   <li>This node's own rows, and rows no node claimed, once older than any live send can be, except those whose
 *       outcome this node still holds ({@link UnrecordedOutcomes}).</li>
 * </ul>
 * A running node's rows are never swept by another node, so Meta's answer held on that node is not overtaken.
 */
public final class AbandonedSendSweeper implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AbandonedSendSweeper.class);
    private final MessageLog log;
    private final UnrecordedOutcomes held;
    private final NodeHeartbeat heartbeat;
    private final Clock clock;
    private final Duration age;

    /**
     * @param graphTimeout a live send waits at most twice this (for a slot to call Meta, then for Meta's answer); rows
     *                     older than three times it, and at least five minutes, are abandoned
     */
    public AbandonedSendSweeper(MessageLog log, UnrecordedOutcomes held, NodeHeartbeat heartbeat, Clock clock,
                                Duration graphTimeout) {
        this.log = log;
        this.held = held;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.age = Duration.ofMinutes(5).compareTo(graphTimeout.multipliedBy(3)) > 0
                ? Duration.ofMinutes(5) : graphTimeout.multipliedBy(3);
    }

    @Override
    public void run() {
        try {
            long now = clock.millis();
            if (heartbeat.mayJudgeOthers(now)) {
                int orphans = log.markOrphansAsUnknown(now - NodeHeartbeat.GONE_AFTER.toMillis(), now).size();
                if (orphans > 0) {
                    LOG.warn("marked {} accepted rows of nodes that are gone (stopped, or silent for more than {} s)"
                            + " as unknown", orphans, NodeHeartbeat.GONE_AFTER.toSeconds());
                }
            }
            int n = log.markAbandonedAsUnknown(now - age.toMillis(), now, heartbeat.nodeId(), held.ids()).size();
            if (n > 0) {
                LOG.warn("marked {} abandoned accepted rows (older than {} s) as unknown", n, age.toSeconds());
            }
        } catch (RuntimeException e) {
            LOG.warn("sweeping abandoned rows failed, will retry: {}", e.getMessage());
        }
    }
}
