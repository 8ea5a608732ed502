/**
 * Owners of the events feature's tables: {@link linegate.store.events.Callbacks} (the accounts' callback URL and
 * sealed signing secrets) and {@link linegate.store.events.Deliveries} (the delivery columns of the {@code events}
 * table: claims under a lease, outcomes, redelivery). The feature's logic is in {@code linegate.events}.
 */
package linegate.store.events;
