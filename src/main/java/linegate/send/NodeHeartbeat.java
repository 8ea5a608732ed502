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
 * <p>
 * After each beat it counts the live nodes (beaten within {@link #GONE_AFTER}, not stopped): each line's send budget
 * is shared equally by them ({@link LineRateLimiter}). A node that joins counts for the others from their next beat,
 * one that stops cleanly stops counting at their next beat, one that dies after {@link #GONE_AFTER}. On the embedded
 * database, which serves one node, the count is always 1.
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
    private final boolean oneNode;
    /** The live nodes at the last beat that could count them; 1 until then. */
    private volatile int liveNodes = 1;

    /**
     * @param startedAt when the node registered: its first beat
     * @param oneNode   the embedded database: this node is the only one, whatever the table says of earlier processes
     */
    public NodeHeartbeat(Nodes nodes, long nodeId, Clock clock, long startedAt, boolean oneNode) {
        this.oneNode = oneNode;
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
            if (!oneNode) {
                int counted = Math.max(1, nodes.liveCount(now - GONE_AFTER.toMillis()));
                if (counted != liveNodes) {
                    LOG.info("{} live nodes now share each line's send budget (were {})", counted, liveNodes);
                }
                liveNodes = counted;
            }
        } catch (RuntimeException e) {
            if (healthySince >= 0) {
                LOG.warn("node {} could not record its heartbeat, will retry: {}", nodeId, e.getMessage());
            }
            healthySince = -1;
        }
    }

    /** The live nodes, this one included, as of the last beat: at least 1. */
    public int liveNodes() {
        return liveNodes;
    }

    /** Whether this node has beaten without a gap for long enough to judge another node's silence. */
    boolean mayJudgeOthers(long nowMillis) {
        long since = healthySince;
        return since >= 0 && nowMillis - since >= GONE_AFTER.toMillis();
    }
}
