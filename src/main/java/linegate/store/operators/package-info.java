/**
 * The tables of the operators' HTTP API (contract §12): {@link linegate.store.operators.AdminTokens} owns
 * {@code admin_tokens} (kept only as hashes, like API tokens), {@link linegate.store.operators.AdminSessions} the
 * console's sessions (hashed too, in the database so that every node accepts them). Like {@code store}, it imports no
 * other Linegate package; who may call is decided in {@code linegate.auth}, what operators may do in
 * {@code linegate.operators}.
 */
package linegate.store.operators;
