/**
 * Meta's webhooks: the handshake, signed deliveries stored durably before the 200, and their events applied afterwards
 * to lines, conversations (the 24-hour window) and the message log. Knows no HTTP.
 */
package linegate.webhook;
