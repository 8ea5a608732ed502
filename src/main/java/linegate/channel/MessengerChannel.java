package linegate.channel;

import linegate.meta.GraphEndpoint;
import linegate.meta.OutboundMessage.Kind;
import linegate.store.Line;
import linegate.store.LineClass;
import linegate.store.Lines;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Facebook Messenger: sends go to {@code graph.facebook.com/{version}/me/messages} with the Page's access token, and
 * webhooks come as {@code object: page}, one entry per Page id (docs/meta-facts.md).
 */
final class MessengerChannel implements Channel {
    /**
     * Text "must be UTF-8 and less than 2000 characters" (Meta, Send API reference); files allowed; images "limited to
     * 30 images at once" (Send messages). Reactions are documented for Instagram only (facts §2.4: on a Page,
     * UNCONFIRMED), so Messenger has none until Meta documents them: add Kind.REACTION here then.
     */
    private static final SendRules RULES = new SendRules("messenger", "Messenger line not found",
            Set.of(Kind.TEXT, Kind.IMAGE, Kind.AUDIO, Kind.VIDEO, Kind.FILE, Kind.TEMPLATE), 2000, "characters",
            text -> text.codePointCount(0, text.length()), 30);

    @Override
    public LineClass lineClass() {
        return LineClass.MESSENGER;
    }

    @Override
    public SendRules sendRules() {
        return RULES;
    }

    @Override
    public List<String> sendPaths() {
        return List.of("/api/v2/MakeMessenger.php", "/api/v2/MakeMessenger");
    }

    @Override
    public GraphEndpoint graphEndpoint(Line line) {
        return GraphEndpoint.PAGE_TOKEN_OWNER;
    }

    @Override
    public String webhookObject() {
        return "page";
    }

    @Override
    public Optional<Line> lineForWebhookEntry(Lines lines, String entryId) {
        return lines.findActiveByPageId(entryId);
    }
}
