package linegate.http;

import io.javalin.http.Context;
import linegate.api.Params;
import linegate.send.ChannelRules;
import linegate.send.MessageSender;
import linegate.send.SendResult;

import java.util.LinkedHashMap;
import java.util.Map;

/** MakeInstagram (and, with other rules, MakeMessenger): parameters in, one call to the sender, the envelope out. */
final class SendController {
    private final MessageSender sender;
    private final SendMetrics metrics;

    SendController(MessageSender sender, SendMetrics metrics) {
        this.sender = sender;
        this.metrics = metrics;
    }

    void send(Context ctx, ChannelRules channel) {
        Params params = ctx.attribute(ApiGate.PARAMS);
        long account = ctx.attribute(ApiGate.ACCOUNT);
        SendResult result = sender.send(account, channel, params);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("messageId", result.messageId());
        fields.put("cdls_id", result.cdlsId());
        if (result.duplicate()) {
            fields.put("duplicate", true);
        }
        metrics.count(ctx, 200);
        ctx.contentType("application/json").result(Envelope.ok(fields));
    }
}
