package linegate.http.admin;

import io.javalin.http.Context;
import linegate.operators.AccountChange;
import linegate.operators.AccountOperations;
import linegate.operators.AccountView;
import linegate.operators.CreatedToken;
import linegate.operators.TokenOperations;
import linegate.operators.TokenView;

import java.util.List;

/** {@code /admin/v1/accounts}, one account, its tokens, and {@code DELETE /admin/v1/tokens/{id}}. */
public final class AccountsController {
    private final AccountOperations accounts;
    private final TokenOperations tokens;
    private final AdminJson json;

    AccountsController(AccountOperations accounts, TokenOperations tokens, AdminJson json) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.json = json;
    }

    public void list(Context ctx) {
        AdminJson.writePage(ctx, accounts.list(AdminQuery.cursor(ctx), AdminQuery.limit(ctx)), AccountView::fields);
    }

    public void create(Context ctx) {
        JsonFields body = json.body(ctx, List.of("name"));
        AdminJson.write(ctx, 201, accounts.create(body.text("name").orElse(null)).fields());
    }

    public void get(Context ctx) {
        AdminJson.write(ctx, 200, accounts.find(AdminQuery.id(ctx, "account")).fields());
    }

    public void update(Context ctx) {
        long id = AdminQuery.id(ctx, "account");
        JsonFields body = json.body(ctx, List.of("name", "callback_url", "rotate_secret"));
        // callback_url null removes it, as "" does
        var url = body.isNull("callback_url") ? java.util.Optional.of("") : body.text("callback_url");
        AccountChange change = new AccountChange(body.text("name"), url, body.bool("rotate_secret").orElse(false));
        AdminJson.write(ctx, 200, accounts.update(id, change).fields());
    }

    public void listTokens(Context ctx) {
        AdminJson.writePage(ctx, tokens.list(AdminQuery.id(ctx, "account"), AdminQuery.cursor(ctx),
                AdminQuery.limit(ctx)), TokenView::fields);
    }

    public void createToken(Context ctx) {
        long account = AdminQuery.id(ctx, "account");
        JsonFields body = json.body(ctx, List.of("label"));
        CreatedToken created = tokens.create(account, body.text("label").orElse(null));
        AdminJson.write(ctx, 201, created.fields());
    }

    public void revokeToken(Context ctx) {
        AdminJson.write(ctx, 200, tokens.revoke(AdminQuery.id(ctx, "token")).fields());
    }
}
