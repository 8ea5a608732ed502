package linegate.http;

import io.javalin.http.Context;
import linegate.send.MessageStatusLookup;

import java.util.LinkedHashMap;
import java.util.Map;

/** MessageStatus: parameters in, one lookup, the message (and its conversation's window, if known) in the envelope. */
final class StatusController {
    private final MessageStatusLookup lookup;

    StatusController(MessageStatusLookup lookup) {
        this.lookup = lookup;
    }

    void status(Context ctx) {
        long account = ctx.attribute(ApiGate.ACCOUNT);
        MessageStatusLookup.Found found = lookup.find(account, ctx.attribute(ApiGate.PARAMS));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("message", found.message().fields());
        found.window().ifPresent(w -> fields.put("window", w.fields()));
        ctx.contentType("application/json").result(Envelope.ok(fields));
    }
}
