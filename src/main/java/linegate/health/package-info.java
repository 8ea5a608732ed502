/**
 * Line health (docs/api.md, "Events": line.status): what Meta's answers show of a line itself, apart from the one
 * message they answer. {@link linegate.health.HealthSignals} reads an answer's signal, and
 * {@link linegate.health.LineHealthTracker} records the changes (each one a line.status event, written by the
 * store's outbox in the change's transaction). Depends on meta and store only; the send pipeline reports to it.
 */
package linegate.health;
