/**
 * The operators' HTTP API, {@code /admin/v1} (contract §12; docs/operations.md, "Admin API"): thin controllers over
 * {@code linegate.operators}, the gate that lets only admin tokens and console sessions in (with CSRF checks on a
 * session's changes), the JSON body and query readers, and the error writer of its own shape,
 * {@code {"error":{"code","message"}}}. Routes are in {@link linegate.http.HttpServer}'s one table.
 */
package linegate.http.admin;
