/**
 * Pacing on Meta's limits (contract §10): Meta's usage headers read on every Graph answer, and the pauses they call
 * for, shared by all nodes through {@code usage_pauses}. The send pipeline asks {@link linegate.pacing.LinePauses}
 * before calling Meta and reports each answer to it.
 */
package linegate.pacing;
