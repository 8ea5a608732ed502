package linegate.http.admin;

import io.javalin.http.Context;
import linegate.operators.EventOperations;
import linegate.operators.EventQuery;
import linegate.operators.EventView;
import linegate.operators.Redelivery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/v1/events} (filters {@code account}, {@code state}, {@code type}; newest first) and
 * {@code POST /admin/v1/events/redeliver} (by {@code event_ids}, or by {@code account_id} and {@code since}).
 */
public final class EventsAdminController {
    private final EventOperations events;
    private final AdminJson json;

    EventsAdminController(EventOperations events, AdminJson json) {
        this.events = events;
        this.json = json;
    }

    public void list(Context ctx) {
        EventQuery query = new EventQuery(AdminQuery.filterId(ctx, "account"), AdminQuery.text(ctx, "state"),
                AdminQuery.text(ctx, "type"));
        AdminJson.writePage(ctx, events.list(query, AdminQuery.cursor(ctx), AdminQuery.limit(ctx)), EventView::fields);
    }

    public void redeliver(Context ctx) {
        JsonFields body = json.body(ctx, List.of("account_id", "since", "event_ids"));
        Map<Long, Integer> done = events.redeliver(new Redelivery(body.integer("account_id"), body.text("since"),
                body.texts("event_ids").orElse(List.of())));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("redelivered", done.values().stream().mapToInt(Integer::intValue).sum());
        answer.put("accounts", done.entrySet().stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("account_id", e.getKey());
            m.put("redelivered", e.getValue());
            return m;
        }).toList());
        AdminJson.write(ctx, 200, answer);
    }
}
