/**
 * Events to the CRM (docs/api.md, "Events"): the event object clients see ({@link linegate.events.EventRendering}),
 * the same in the feed and in callbacks; the feed's service with its long poll ({@link linegate.events.EventFeed});
 * retention ({@link linegate.events.EventRetention}). The rows are {@code store.events}'s. Only http, admin and the
 * root import this package.
 */
package linegate.events;
