package linegate.queue;

import linegate.meta.OutboundMessage.Kind;

import java.util.OptionalLong;

/**
 * A line's send budget as the queue workers take it: one send now, or how many seconds until one is free. A queued
 * send waits for its line's budget instead of being refused (260), and for the end of a pause on Meta's usage. The
 * composition root makes it of {@code pacing.LinePauses} and {@code send.LineRateLimiter} (the line's budget, shared
 * by the live nodes).
 */
@FunctionalInterface
public interface SendBudget {
    /** Takes one send of this kind from the account's line's budget; empty when taken, else the seconds to wait. */
    OptionalLong tryAcquire(long accountId, long lineId, Kind kind);
}
