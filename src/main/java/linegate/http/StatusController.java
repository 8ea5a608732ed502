package linegate.http;

import io.javalin.http.Context;
import linegate.send.MessageStatusLookup;
import linegate.send.MessageView;

import java.util.Map;

/** MessageStatus: parameters in, one lookup, the message in the envelope. */
final class StatusController {
    private final MessageStatusLookup lookup;

    StatusController(MessageStatusLookup lookup) {
        this.lookup = lookup;
    }

    void status(Context ctx) {
        long account = ctx.attribute(ApiGate.ACCOUNT);
        MessageView message = lookup.find(account, ctx.attribute(ApiGate.PARAMS));
        ctx.contentType("application/json").result(Envelope.ok(Map.of("message", message.fields())));
    }
}
