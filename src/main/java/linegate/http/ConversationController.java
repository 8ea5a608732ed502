package linegate.http;

import io.javalin.http.Context;
import linegate.api.Params;
import linegate.send.ConversationLookup;
import linegate.send.ConversationWindow;

import java.util.Map;

/**
 * Conversation.php: {@code app_id} and {@code dest}, read and checked as a send reads them (210/211, 220/221), one
 * lookup, the conversation's window in the envelope.
 */
final class ConversationController {
    private final ConversationLookup lookup;

    ConversationController(ConversationLookup lookup) {
        this.lookup = lookup;
    }

    void window(Context ctx) {
        long account = ctx.attribute(ApiGate.ACCOUNT);
        Params params = ctx.attribute(ApiGate.PARAMS);
        long lineId = SendRequestReader.lineId(params);
        String dest = SendRequestReader.dest(params);
        ConversationWindow window = lookup.window(account, lineId, dest);
        ctx.contentType("application/json").result(Envelope.ok(Map.of("window", window.fields())));
    }
}
