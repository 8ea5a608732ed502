/**
 * Events to the CRM (docs/api.md, "Events"): the signed callbacks. {@link linegate.events.CallbackUrl} and
 * {@link linegate.events.CallbackAddresses} decide where a callback may go (no private, loopback, link-local or
 * metadata addresses), {@link linegate.events.CallbackSignature} signs it, {@link linegate.events.CallbackClient}
 * posts it to the address it checked, and {@link linegate.events.CallbackDelivery} claims due events under a lease
 * and records each outcome. The bodies come from {@link linegate.events.EventBodies}, the same rendering as the feed.
 */
package linegate.events;
