package linegate.queue;

import linegate.meta.OutboundMessage.Kind;

import java.util.OptionalLong;

/**
 * A line's send budget as the queue workers take it: one send now, or how many seconds until one is free. A queued
 * send waits for its line's budget instead of being refused (260). Today the node's own per-line limiter
 * ({@code send.LineRateLimiter}) is the budget; a budget shared by all nodes, or paused by Meta's usage headers,
 * plugs in here.
 */
@FunctionalInterface
public interface SendBudget {
    /** Takes one send of this kind from the line's budget; empty when taken, else the whole seconds to wait. */
    OptionalLong tryAcquire(long lineId, Kind kind);
}
