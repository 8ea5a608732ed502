/**
 * Persistence: one owner class per table (Accounts, Tokens, Lines, MessageLog), SQL in text blocks, Flyway migrations
 * for SQLite and PostgreSQL under {@code db/migration}. Page access tokens are sealed with AES-GCM here; API tokens are
 * kept only as SHA-256. {@link linegate.store.MessageLog} is the one writer of {@code message_log}, for the send side
 * and the webhook side alike: every write reports its {@link linegate.store.MessageChange}s and hands each to a
 * {@link linegate.store.ChangeRecorder} inside the same transaction (the seam for an outbox).
 * {@link linegate.store.BatchingMessageLogWriter} commits many requests' log writes in one transaction (group commit),
 * through that owner. The only package that imports Jdbi; imports no other Linegate package.
 */
package linegate.store;
