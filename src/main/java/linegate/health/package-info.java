/**
 * Line health (docs/api.md, "Events": line.status): what Meta's answers show of a line itself, apart from the one
 * message they answer. {@link linegate.health.HealthSignals} reads an answer's signal, and
 * {@link linegate.health.LineHealthTracker} records the changes (each one a line.status event, written by the
 * store's outbox in the change's transaction). The periodic token check ({@link linegate.health.TokenChecks}) and the
 * refresh of Instagram Login tokens ({@link linegate.health.TokenRefresher}) report to the same tracker, and
 * {@link linegate.health.LineHealthGauges} counts the lines by health for /metrics. Depends on meta and store only;
 * the send pipeline reports to it, and the composition root schedules its periodic work.
 */
package linegate.health;
