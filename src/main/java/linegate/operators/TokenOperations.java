package linegate.operators;

import linegate.api.Refusal;
import linegate.store.Stores;
import linegate.store.Tokens;

import java.util.Optional;

import static linegate.operators.StoreRefusals.translated;

/** Accounts' API tokens ({@code tsid}): created (shown once), listed (never the token), revoked. */
public final class TokenOperations {
    private final Stores stores;

    TokenOperations(Stores stores) {
        this.stores = stores;
    }

    public CreatedToken create(long accountId, String label) {
        String checked = Checks.label(label);
        Tokens.Created created = translated(() -> stores.tokens().create(accountId, checked));
        return new CreatedToken(created.id(), created.tsid());
    }

    /** The account's tokens, oldest first. */
    public Page<TokenView> list(long accountId, Optional<String> cursor, int limit) {
        long after = Cursor.decode(cursor).orElse(0L);
        var rows = translated(() -> stores.tokens().list(accountId, after, limit + 1));
        return Page.of(rows.stream().map(TokenOperations::view).toList(), limit, TokenView::id);
    }

    /** Revokes the token (at once on this node, within LINEGATE_LOOKUP_REFRESH_MS on the others); twice is no error. */
    public TokenView revoke(long id) {
        translated(() -> stores.tokens().revoke(id));
        return stores.tokens().find(id).map(TokenOperations::view)
                .orElseThrow(() -> Refusal.notFound("token " + id + " does not exist"));
    }

    private static TokenView view(Tokens.Listed t) {
        return new TokenView(t.id(), t.accountId(), Optional.ofNullable(t.label()), t.createdAtMillis(),
                t.lastUsedAtMillis(), t.revoked());
    }
}
