package linegate.channel;

import linegate.meta.GraphEndpoint;
import linegate.meta.OutboundMessage.Kind;
import linegate.store.Line;
import linegate.store.LineClass;
import linegate.store.Lines;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Instagram Direct through a Facebook Page (Facebook Login): sends go to {@code graph.facebook.com/{version}/me/messages}
 * with the Page's access token, and webhooks come as {@code object: instagram}, one entry per Instagram account id
 * (docs/meta-facts.md, "Endpoint and version", "Webhook objects and events").
 */
final class InstagramChannel implements Channel {
    /**
     * "Message text must be UTF-8 and be a 1000 bytes or less"; PDF files (Dec 2025); "up to ten attachment objects"
     * in one message (GA May 2026); reactions (Meta, Instagram messaging API, facts §2.4 and §7a).
     */
    private static final SendRules RULES = new SendRules("instagram", "Instagram line not found",
            Set.of(Kind.TEXT, Kind.IMAGE, Kind.AUDIO, Kind.VIDEO, Kind.FILE, Kind.TEMPLATE, Kind.REACTION), 1000,
            "UTF-8 bytes", text -> text.getBytes(StandardCharsets.UTF_8).length, 10);

    @Override
    public LineClass lineClass() {
        return LineClass.INSTAGRAM;
    }

    @Override
    public SendRules sendRules() {
        return RULES;
    }

    @Override
    public List<String> sendPaths() {
        return List.of("/api/v2/MakeInstagram.php", "/api/v2/MakeInstagram");
    }

    @Override
    public GraphEndpoint graphEndpoint(Line line) {
        return GraphEndpoint.PAGE_TOKEN_OWNER;
    }

    @Override
    public String webhookObject() {
        return "instagram";
    }

    @Override
    public Optional<Line> lineForWebhookEntry(Lines lines, String entryId) {
        return lines.findActiveByIgAccountId(entryId);
    }
}
