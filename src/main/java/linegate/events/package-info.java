/**
 * Events to the CRM (docs/api.md, "Events"): the event object clients see ({@link linegate.events.EventRendering}),
 * the same in the feed and in callbacks; the feed's service with its long poll ({@link linegate.events.EventFeed});
 * retention ({@link linegate.events.EventRetention}); and the signed callbacks: {@link linegate.events.CallbackUrl}
 * and {@link linegate.events.CallbackAddresses} decide where a callback may go (no private, loopback, link-local or
 * metadata addresses), {@link linegate.events.CallbackSignature} signs it, {@link linegate.events.CallbackClient}
 * posts it to the address it checked, and {@link linegate.events.CallbackDelivery} claims due events under a lease
 * and records each outcome. The rows are {@code store.events}'s. Only http, admin and the root import this package.
 */
package linegate.events;
