/**
 * Meta's Graph API: the Send API client behind the narrow {@link linegate.meta.GraphClient} interface, Meta's wire
 * records (package-private), the classification of Meta's errors by code and subcode, and webhook parsing, signatures
 * and the handshake's names. The only package that knows Graph JSON; imports no other Linegate package.
 */
package linegate.meta;
