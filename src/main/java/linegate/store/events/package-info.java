/**
 * The tables of events to the CRM (docs/api.md, "Events"): {@link linegate.store.events.Outbox} owns the rows of
 * {@code events}, the transactional outbox fed by {@link linegate.store.ChangeRecorder} inside each
 * {@code message_log} change's transaction; {@link linegate.store.events.Deliveries} their delivery columns (claims
 * under a lease, outcomes, redelivery); {@link linegate.store.events.Callbacks} the accounts' callback URL and sealed
 * signing secrets. Like {@code store}, it imports no other Linegate package; the feature's logic is in
 * {@code linegate.events}.
 */
package linegate.store.events;
