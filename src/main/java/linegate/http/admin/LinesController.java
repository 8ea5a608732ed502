package linegate.http.admin;

import io.javalin.http.Context;
import linegate.operators.LineEdit;
import linegate.operators.LineOperations;
import linegate.operators.LineView;
import linegate.operators.NewLineInput;

import java.util.List;
import java.util.Optional;

/**
 * {@code /admin/v1/lines} and one line. {@code page_token} is taken, never answered; {@code sends_per_second} is a
 * whole number, or {@code null} in a PATCH for the default budget; {@code paused_until} an ISO-8601 instant, or
 * {@code null} to resume.
 */
public final class LinesController {
    private static final List<String> CREATE = List.of("account_id", "class", "page_token", "ig_account_id", "page_id",
            "active", "human_agent", "sends_per_second", "login", "token_expires_at");
    private static final List<String> UPDATE = List.of("page_token", "active", "human_agent", "sends_per_second",
            "ig_account_id", "page_id", "paused_until");
    private final LineOperations lines;
    private final AdminJson json;

    LinesController(LineOperations lines, AdminJson json) {
        this.lines = lines;
        this.json = json;
    }

    public void list(Context ctx) {
        AdminJson.writePage(ctx, lines.list(AdminQuery.filterId(ctx, "account"), AdminQuery.cursor(ctx),
                AdminQuery.limit(ctx)), LineView::fields);
    }

    public void create(Context ctx) {
        JsonFields body = json.body(ctx, CREATE);
        NewLineInput in = new NewLineInput(body.integer("account_id"), body.text("class").orElse(null),
                body.text("page_token"), body.text("ig_account_id"), body.text("page_id"),
                body.bool("active").orElse(true), body.bool("human_agent").orElse(false),
                body.integer("sends_per_second").map(String::valueOf), body.text("login"),
                body.text("token_expires_at"));
        AdminJson.write(ctx, 201, lines.create(in).fields());
    }

    public void get(Context ctx) {
        AdminJson.write(ctx, 200, lines.find(AdminQuery.id(ctx, "line")).fields());
    }

    public void update(Context ctx) {
        long id = AdminQuery.id(ctx, "line");
        JsonFields body = json.body(ctx, UPDATE);
        Optional<String> budget = body.isNull("sends_per_second") ? Optional.of("default")
                : body.integer("sends_per_second").map(String::valueOf);
        Optional<Optional<String>> pause = body.isNull("paused_until") ? Optional.of(Optional.empty())
                : body.text("paused_until").map(Optional::of);
        LineEdit edit = new LineEdit(body.text("page_token"), body.bool("active"), body.bool("human_agent"), budget,
                body.text("ig_account_id"), body.text("page_id"), pause);
        AdminJson.write(ctx, 200, lines.update(id, edit).fields());
    }
}
