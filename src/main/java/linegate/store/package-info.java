/**
 * Persistence: one owner class per table (Accounts, Tokens, Lines, MessageLog), SQL in text blocks, Flyway migrations
 * for SQLite and PostgreSQL under {@code db/migration}. Page access tokens are sealed with AES-GCM here; API tokens are
 * kept only as SHA-256. {@link linegate.store.BatchingMessageLogWriter} commits many requests' log writes in one
 * transaction (group commit). The only package that imports Jdbi; imports no other Linegate package.
 */
package linegate.store;
