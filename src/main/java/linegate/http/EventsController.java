package linegate.http;

import io.javalin.http.Context;
import linegate.events.EventFeed;

import java.util.LinkedHashMap;
import java.util.Map;

/** The event feed: parameters in, one read (which may wait: a long poll), the events and the cursor in the envelope. */
final class EventsController {
    private final EventFeed feed;

    EventsController(EventFeed feed) {
        this.feed = feed;
    }

    void events(Context ctx) {
        long account = ctx.attribute(ApiGate.ACCOUNT);
        EventFeed.Page page = feed.read(account, ctx.attribute(ApiGate.PARAMS));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("events", page.events());
        fields.put("next", page.next());
        ctx.contentType("application/json").result(Envelope.ok(fields));
    }
}
