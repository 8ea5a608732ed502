package linegate.http.admin;

import io.javalin.http.Context;
import linegate.api.Refusal;
import linegate.operators.MessageOperations;
import linegate.operators.MessageQuery;
import linegate.send.MessageView;

/** {@code GET /admin/v1/messages} (filters, newest first, cursor paging) and one message by its cdls_id. */
public final class MessagesController {
    private final MessageOperations messages;

    MessagesController(MessageOperations messages) {
        this.messages = messages;
    }

    public void list(Context ctx) {
        MessageQuery query = new MessageQuery(AdminQuery.filterId(ctx, "account"), AdminQuery.filterId(ctx, "line"),
                AdminQuery.text(ctx, "state"), AdminQuery.text(ctx, "direction"), AdminQuery.text(ctx, "dest"),
                AdminQuery.text(ctx, "msg_id"), AdminQuery.text(ctx, "since"), AdminQuery.text(ctx, "until"));
        AdminJson.writePage(ctx, messages.list(query, AdminQuery.cursor(ctx), AdminQuery.limit(ctx)),
                MessageView::fields);
    }

    public void get(Context ctx) {
        String raw = ctx.pathParam("cdls_id");
        if (!raw.matches("[0-9]{1,18}")) {
            throw Refusal.notFound("a cdls_id is a positive whole number: no such message");
        }
        AdminJson.write(ctx, 200, messages.find(Long.parseLong(raw)).fields());
    }
}
