package linegate.send;

import linegate.store.Nodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Beats this node's {@code last_seen} (see {@link Nodes}) every {@link #EVERY}. A node silent for {@link #GONE_AFTER}
 * is taken to be gone by the others, which then mark the rows it left {@code accepted} as {@code unknown}.
 * <p>
 * A node only judges others once its own beats have succeeded for {@link #GONE_AFTER}: after a database outage every
 * node's beat is stale, and each must first have had the time to beat again.
 */
public final class NodeHeartbeat implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);
    public static final Duration EVERY = Duration.ofSeconds(3);
    /** Five missed beats: far beyond a pause of the JVM or a slow commit, and still prompt for a retry. */
    public static final Duration GONE_AFTER = EVERY.multipliedBy(5);

    private final Nodes nodes;
    private final long nodeId;
    private final Clock clock;
    /** Since when every beat has succeeded; -1 while they fail. */
    private volatile long healthySince;

    /** @param startedAt when the node registered: its first beat */
    public NodeHeartbeat(Nodes nodes, long nodeId, Clock clock, long startedAt) {
        this.nodes = nodes;
        this.nodeId = nodeId;
        this.clock = clock;
        this.healthySince = startedAt;
    }

    public long nodeId() {
        return nodeId;
    }

    @Override
    public void run() {
        long now = clock.millis();
        try {
            if (!nodes.beat(nodeId, now)) {
                LOG.error("node {} is recorded as stopped; its accepted rows may be marked unknown by other nodes", nodeId);
            }
            if (healthySince < 0) {
                healthySince = now;
                LOG.info("node {} beats again", nodeId);
            }
        } catch (RuntimeException e) {
            if (healthySince >= 0) {
                LOG.warn("node {} could not record its heartbeat, will retry: {}", nodeId, e.getMessage());
            }
            healthySince = -1;
        }
    }

    /** Whether this node has beaten without a gap for long enough to judge another node's silence. */
    boolean mayJudgeOthers(long nowMillis) {
        long since = healthySince;
        return since >= 0 && nowMillis - since >= GONE_AFTER.toMillis();
    }
}
