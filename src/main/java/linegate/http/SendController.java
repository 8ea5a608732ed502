package linegate.http;

import io.javalin.http.Context;
import linegate.api.Params;
import linegate.api.StatusCode;
import linegate.channel.Channel;
import linegate.channel.Channels;
import linegate.send.ConversationWindow;
import linegate.send.MessageSender;
import linegate.send.SendOutcome;
import linegate.send.SendRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A channel's send endpoint (MakeInstagram, MakeMessenger): parameters in, one call to the sender, the envelope out.
 * A 200, and a queued send's 202, are written here; every other outcome goes to the one error mapper as the facts of
 * its refusal.
 */
final class SendController {
    private final MessageSender sender;
    private final SendMetrics metrics;

    SendController(MessageSender sender, SendMetrics metrics) {
        this.sender = sender;
        this.metrics = metrics;
    }

    /**
     * {@code POST /api/v2/SenderAction.php}: {@code app_id} (210/211), {@code dest} (220/221), {@code action} (239),
     * then the sender's checks and Meta's call; answers 200 without a {@code cdls_id} (nothing is logged).
     */
    void senderAction(Context ctx, Channels channels) {
        Params params = ctx.attribute(ApiGate.PARAMS);
        long account = ctx.attribute(ApiGate.ACCOUNT);
        SenderActionRequest request = SenderActionRequest.read(params);
        sender.senderAction(account, channels, request.lineId(), request.dest(), request.action());
        metrics.count(ctx, 200);
        ctx.contentType("application/json").result(Envelope.ok(Map.of()));
    }

    void send(Context ctx, Channel channel) {
        Params params = ctx.attribute(ApiGate.PARAMS);
        long account = ctx.attribute(ApiGate.ACCOUNT);
        SendRequest request = SendRequestReader.read(params, channel.sendRules());
        ctx.attribute(SendMetrics.LINE, request.lineId());
        SendOutcome outcome = sender.send(account, channel, request);
        switch (outcome) {
            case SendOutcome.Sent sent -> ok(ctx, sent.messageId(), sent.cdlsId(), false, sent.window());
            case SendOutcome.Duplicate duplicate -> ok(ctx, duplicate.messageId(), duplicate.cdlsId(), true,
                    duplicate.window());
            case SendOutcome.Queued queued -> queued(ctx, queued);
            default -> throw SendRefusals.of(outcome);
        }
    }

    /** HTTP 202, status_code 207: stored durably, the result comes as an event (docs/api.md, "Queued sends"). */
    private void queued(Context ctx, SendOutcome.Queued queued) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cdls_id", queued.cdlsId());
        if (queued.duplicate()) {
            fields.put("duplicate", true);
        }
        metrics.count(ctx, StatusCode.QUEUED.code(), queued.cdlsId(), null);
        ctx.status(StatusCode.QUEUED.httpStatus()).contentType("application/json")
                .result(Envelope.of(StatusCode.QUEUED, fields));
    }

    /** The seed's 200, with {@code duplicate} and then the conversation's {@code window} added when they apply. */
    private void ok(Context ctx, String messageId, long cdlsId, boolean duplicate,
                    Optional<ConversationWindow> window) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (messageId != null) { // a reaction: Meta's answer has no message id
            fields.put("messageId", messageId);
        }
        fields.put("cdls_id", cdlsId);
        if (duplicate) {
            fields.put("duplicate", true);
        }
        window.ifPresent(w -> fields.put("window", w.fields()));
        metrics.count(ctx, 200, cdlsId, null);
        ctx.contentType("application/json").result(Envelope.ok(fields));
    }
}
