package linegate.channel;

import linegate.meta.GraphEndpoint;
import linegate.meta.OutboundMessage.Kind;
import linegate.store.Line;
import linegate.store.LineClass;
import linegate.store.LineLogin;
import linegate.store.Lines;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Instagram Direct. Through a Facebook Page (Facebook Login): sends go to {@code graph.facebook.com/{version}/me/messages}
 * with the Page's access token. An Instagram Login line ({@code login} instagram) sends to
 * {@code graph.instagram.com/{version}/{ig-account-id}/messages} with its Instagram User token (facts §1). Webhooks
 * come as {@code object: instagram} either way, one entry per Instagram account id (docs/meta-facts.md, "Endpoint and
 * version", "Webhook objects and events"). Both paths take the same kinds: Meta's Instagram Login pages document text,
 * media and files, several images, reactions, replies, quick replies, generic templates, private replies and sender
 * actions on graph.instagram.com as well.
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
        if (line.login() == LineLogin.INSTAGRAM) {
            // an Instagram Login line always has its account id (NewLine refuses one without). Sends and sender
            // actions alike: DISCREPANCY, the sender-actions page's sample posts to graph.facebook.com/VERSION/me/messages
            // (https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api/
            // sender-actions), while the Instagram Login messaging page sends to graph.instagram.com/{id}/messages
            // (https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api)
            // and an Instagram User token is for graph.instagram.com; Linegate follows the latter (facts.md §2.4).
            // To send sender actions elsewhere, give SenderActions an endpoint of its own here.
            return GraphEndpoint.instagramAccount(line.igAccountId().orElseThrow());
        }
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
