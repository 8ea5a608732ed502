/**
 * Queued sends (async=1, docs/api.md "Queued sends"): workers that claim queued rows from {@code store.SendQueue}, pace
 * them by the line's budget ({@link linegate.queue.SendBudget}), send them through {@code send.QueuedAttempts} in order
 * per conversation, and either record the final state (a {@code message.status} event through the outbox) or put the
 * row back for a safe retry ({@link linegate.queue.SafeRetries}). Depends downward on send, meta and store.
 */
package linegate.queue;
