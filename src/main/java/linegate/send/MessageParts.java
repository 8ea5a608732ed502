package linegate.send;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import linegate.api.ApiException;
import linegate.api.StatusCode;
import linegate.meta.OutboundMessage.Button;
import linegate.meta.OutboundMessage.DefaultAction;
import linegate.meta.OutboundMessage.Element;
import linegate.meta.OutboundMessage.QuickReply;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON-valued send parameters of contract §11 (several images, quick replies, template elements) and the reaction
 * and reply_to values, read and checked against Meta's documented limits, each refusal with its code (227, 232, 237,
 * 238, 239) and a detail that names the limit. The same reading serves the client's request and a queued row read back,
 * whose stored forms ({@link #imagesJson}, {@link #elementsJson}, {@link #quickRepliesJson}) it wrote.
 * <p>
 * A value is parsed only after its text is bounded (the body limit, or the request line), with nesting, string and
 * number lengths bounded as well; an array's length is checked before its elements are.
 */
public final class MessageParts {
    public static final int MAX_URL = 2048;
    /** Quick replies: "max 13", title "20 character limit", payload "1000 character limit" (Meta, quick replies). */
    public static final int MAX_QUICK_REPLIES = 13;
    public static final int MAX_QUICK_REPLY_TITLE = 20;
    public static final int MAX_PAYLOAD = 1000;
    /** Generic template: at most 10 elements, title and subtitle 80 characters, at most 3 buttons (Meta, generic template). */
    public static final int MAX_ELEMENTS = 10;
    public static final int MAX_ELEMENT_TEXT = 80;
    public static final int MAX_BUTTONS = 3;
    /** A button's title: "20 character limit" (Meta, button reference). */
    public static final int MAX_BUTTON_TITLE = 20;
    /** Meta's message ids are opaque, about 164 characters on Instagram (facts §2.5); far more than any is refused. */
    public static final int MAX_MID = 512;
    /** An emoji is one to a few code points (a flag: 2; a family with skin tones and joiners: up to about 10). */
    static final int MAX_EMOJI_CODE_POINTS = 16;
    public static final String UNREACT = "unreact";
    static final int MAX_DEPTH = 8;
    /**
     * The longest JSON value read (characters): more than the largest value Meta's limits allow (ten elements of
     * maximal text and URLs, 30 URLs of 2048 characters), and small enough that its tree is cheap.
     */
    static final int MAX_JSON_CHARS = 256 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(100).build())
                    .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> QUICK_REPLY_FIELDS = Set.of("title", "payload", "content_type");
    private static final List<String> HEIGHT_RATIOS = List.of("compact", "tall", "full");
    private static final Set<String> ELEMENT_FIELDS = Set.of("title", "subtitle", "image_url", "default_action", "buttons");

    private MessageParts() {
    }

    /** An absolute http(s) URL of at most {@link #MAX_URL} characters, or 227 saying so. */
    public static String mediaUrl(String url, String what) {
        if (!isHttpUrl(url)) {
            throw ApiException.of(StatusCode.INVALID_MEDIA_URL, what + " must be the absolute http(s) URL of the media, at"
                    + " most " + MAX_URL + " characters");
        }
        return url;
    }

    /** Several images: a JSON array of 1 to {@code max} URLs (227 beyond it, or for anything else). */
    public static List<String> images(String json, int max, String channelName) {
        JsonNode array = parse(json, StatusCode.INVALID_MEDIA_URL, "mdata");
        if (!array.isArray() || array.isEmpty()) {
            throw ApiException.of(StatusCode.INVALID_MEDIA_URL, "for several images mdata is a JSON array of 2 to " + max
                    + " image URLs");
        }
        if (array.size() > max) {
            throw ApiException.of(StatusCode.INVALID_MEDIA_URL, "mdata has " + array.size() + " images; " + channelName
                    + " allows at most " + max + " in one message");
        }
        List<String> urls = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode url = array.get(i);
            urls.add(mediaUrl(url.isTextual() ? url.asText() : "", "mdata[" + i + "]"));
        }
        return urls;
    }

    public static String imagesJson(List<String> urls) {
        ArrayNode array = JSON.createArrayNode();
        urls.forEach(array::add);
        return array.toString();
    }

    /** 1 to 13 quick replies of a title (1 to 20 characters) and a payload (1 to 1000), or 232. */
    public static List<QuickReply> quickReplies(String json) {
        JsonNode array = parse(json, StatusCode.INVALID_QUICK_REPLIES, "quick_replies");
        if (!array.isArray() || array.isEmpty() || array.size() > MAX_QUICK_REPLIES) {
            throw ApiException.of(StatusCode.INVALID_QUICK_REPLIES, "quick_replies is a JSON array of 1 to "
                    + MAX_QUICK_REPLIES + " {\"title\",\"payload\"} objects" + (array.isArray() && !array.isEmpty()
                    ? "; it has " + array.size() : ""));
        }
        List<QuickReply> replies = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String where = "quick_replies[" + i + "]";
            JsonNode reply = array.get(i);
            if (!reply.isObject()) {
                throw ApiException.of(StatusCode.INVALID_QUICK_REPLIES, where + " must be a {\"title\",\"payload\"} object");
            }
            onlyFields(reply, QUICK_REPLY_FIELDS, StatusCode.INVALID_QUICK_REPLIES, where);
            if (reply.has("content_type") && !"text".equals(reply.get("content_type").asText(null))) {
                throw ApiException.of(StatusCode.INVALID_QUICK_REPLIES, where + ".content_type can only be text");
            }
            replies.add(new QuickReply(
                    string(reply, "title", MAX_QUICK_REPLY_TITLE, true, StatusCode.INVALID_QUICK_REPLIES, where).orElseThrow(),
                    string(reply, "payload", MAX_PAYLOAD, true, StatusCode.INVALID_QUICK_REPLIES, where).orElseThrow()));
        }
        return replies;
    }

    public static String quickRepliesJson(List<QuickReply> replies) {
        ArrayNode array = JSON.createArrayNode();
        replies.forEach(q -> array.addObject().put("title", q.title()).put("payload", q.payload()));
        return array.toString();
    }

    /** 1 to 10 generic-template elements (237 naming the limit or the field). */
    public static List<Element> elements(String json) {
        JsonNode array = parse(json, StatusCode.INVALID_TEMPLATE, "mdata");
        if (!array.isArray() || array.isEmpty() || array.size() > MAX_ELEMENTS) {
            throw ApiException.of(StatusCode.INVALID_TEMPLATE, "for a template mdata is a JSON array of 1 to "
                    + MAX_ELEMENTS + " elements" + (array.isArray() && !array.isEmpty() ? "; it has " + array.size() : ""));
        }
        List<Element> elements = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            elements.add(element(array.get(i), "mdata[" + i + "]"));
        }
        return elements;
    }

    private static Element element(JsonNode e, String where) {
        StatusCode code = StatusCode.INVALID_TEMPLATE;
        if (!e.isObject()) {
            throw ApiException.of(code, where + " must be an object with a title");
        }
        onlyFields(e, ELEMENT_FIELDS, code, where);
        String title = string(e, "title", MAX_ELEMENT_TEXT, true, code, where).orElseThrow();
        Optional<String> subtitle = string(e, "subtitle", MAX_ELEMENT_TEXT, false, code, where);
        Optional<String> image = string(e, "image_url", MAX_URL, false, code, where);
        if (image.isPresent() && !isHttpUrl(image.get())) {
            throw ApiException.of(code, where + ".image_url must be an absolute http(s) URL");
        }
        Optional<DefaultAction> defaultAction = Optional.empty();
        if (e.has("default_action")) {
            JsonNode action = e.get("default_action");
            String at = where + ".default_action";
            if (!action.isObject()) {
                throw ApiException.of(code, at + " must be {\"type\":\"web_url\",\"url\":…}");
            }
            onlyFields(action, Set.of("type", "url", "webview_height_ratio"), code, at);
            if (action.has("type") && !"web_url".equals(action.get("type").asText(null))) {
                throw ApiException.of(code, at + ".type can only be web_url");
            }
            Optional<String> height = string(action, "webview_height_ratio", 10, false, code, at);
            if (height.isPresent() && !HEIGHT_RATIOS.contains(height.get())) {
                throw ApiException.of(code, at + ".webview_height_ratio is one of " + HEIGHT_RATIOS);
            }
            defaultAction = Optional.of(new DefaultAction(url(action, at, code), height));
        }
        List<Button> buttons = new ArrayList<>();
        if (e.has("buttons")) {
            JsonNode list = e.get("buttons");
            if (!list.isArray() || list.size() > MAX_BUTTONS) {
                throw ApiException.of(code, where + ".buttons is an array of at most " + MAX_BUTTONS + " buttons"
                        + (list.isArray() ? "; it has " + list.size() : ""));
            }
            for (int b = 0; b < list.size(); b++) {
                buttons.add(button(list.get(b), where + ".buttons[" + b + "]"));
            }
        }
        return new Element(title, subtitle, image, defaultAction, buttons);
    }

    /** Instagram's generic template takes only web_url and postback buttons (Meta, generic template); so do we. */
    private static Button button(JsonNode b, String where) {
        StatusCode code = StatusCode.INVALID_TEMPLATE;
        if (!b.isObject()) {
            throw ApiException.of(code, where + " must be a web_url or postback button object");
        }
        String type = b.path("type").asText("");
        String title = string(b, "title", MAX_BUTTON_TITLE, true, code, where).orElseThrow();
        return switch (type) {
            case "web_url" -> {
                onlyFields(b, Set.of("type", "title", "url"), code, where);
                yield new Button(Button.ButtonType.WEB_URL, title, url(b, where, code));
            }
            case "postback" -> {
                onlyFields(b, Set.of("type", "title", "payload"), code, where);
                yield new Button(Button.ButtonType.POSTBACK, title,
                        string(b, "payload", MAX_PAYLOAD, true, code, where).orElseThrow());
            }
            default -> throw ApiException.of(code, where + ".type must be web_url or postback");
        };
    }

    public static String elementsJson(List<Element> elements) {
        ArrayNode array = JSON.createArrayNode();
        for (Element e : elements) {
            var node = array.addObject().put("title", e.title());
            e.subtitle().ifPresent(s -> node.put("subtitle", s));
            e.imageUrl().ifPresent(s -> node.put("image_url", s));
            e.defaultAction().ifPresent(a -> {
                var action = node.putObject("default_action").put("type", "web_url").put("url", a.url());
                a.webviewHeightRatio().ifPresent(h -> action.put("webview_height_ratio", h));
            });
            if (!e.buttons().isEmpty()) {
                ArrayNode buttons = node.putArray("buttons");
                for (Button b : e.buttons()) {
                    var button = buttons.addObject().put("type", b.type().name().toLowerCase(Locale.ROOT))
                            .put("title", b.title());
                    button.put(b.type() == Button.ButtonType.WEB_URL ? "url" : "payload", b.value());
                }
            }
        }
        return array.toString();
    }

    /**
     * A reaction: {@code love}, one emoji ("any emoji reaction … or a valid UTF-8 representation of an emoji", Meta's
     * Instagram Login messaging page), or {@link #UNREACT}; anything else 239. Empty: unreact.
     */
    public static Optional<String> reaction(String mdata) {
        String r = mdata.strip();
        if (r.equalsIgnoreCase(UNREACT)) {
            return Optional.empty();
        }
        if (r.equalsIgnoreCase("love") || isEmoji(r)) {
            return Optional.of(r.equalsIgnoreCase("love") ? "love" : r);
        }
        throw ApiException.of(StatusCode.INVALID_ACTION, "for a reaction mdata is love, one emoji, or unreact");
    }

    private static boolean isEmoji(String s) {
        int count = s.codePointCount(0, s.length());
        if (count < 1 || count > MAX_EMOJI_CODE_POINTS) {
            return false;
        }
        boolean symbol = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (Character.getType(c)) {
                case Character.OTHER_SYMBOL -> symbol = true; // pictographs, regional indicators
                // skin tones, variation selectors, keycaps, the zero-width joiner and tag characters
                case Character.MODIFIER_SYMBOL, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT -> {
                }
                default -> {
                    return false;
                }
            }
        }
        return symbol;
    }

    /** A Meta message id ({@code mid}): printable ASCII without spaces, at most {@link #MAX_MID}; else 238. */
    public static String mid(String raw) {
        String mid = raw.strip();
        if (mid.isEmpty() || mid.length() > MAX_MID || !mid.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ApiException.of(StatusCode.INVALID_REPLY_TO, "reply_to must be the mid of a message of this conversation"
                    + " (Meta's message id, at most " + MAX_MID + " characters)");
        }
        return mid;
    }

    private static JsonNode parse(String json, StatusCode code, String name) {
        if (json.length() > MAX_JSON_CHARS) {
            throw ApiException.of(code, name + " is over " + MAX_JSON_CHARS + " characters of JSON");
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw ApiException.of(code, name + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.of(code, name + " is not valid JSON (or is nested deeper than " + MAX_DEPTH + " levels)");
        }
    }

    private static void onlyFields(JsonNode object, Set<String> allowed, StatusCode code, String where) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            if (!allowed.contains(names.next())) {
                throw ApiException.of(code, where + " may only have " + allowed.stream().sorted().toList());
            }
        }
    }

    private static Optional<String> string(JsonNode object, String field, int max, boolean required, StatusCode code,
                                           String where) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            if (required) {
                throw ApiException.of(code, where + "." + field + " is required");
            }
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw ApiException.of(code, where + "." + field + " must be a string");
        }
        String s = v.asText();
        int length = s.codePointCount(0, s.length());
        if (length > max) {
            throw ApiException.of(code, where + "." + field + " is " + length + " characters; at most " + max);
        }
        if (s.indexOf('\u0000') >= 0) {
            throw ApiException.of(code, where + "." + field + " contains a NUL character");
        }
        return Optional.of(s);
    }

    private static String url(JsonNode object, String where, StatusCode code) {
        String url = string(object, "url", MAX_URL, true, code, where).orElseThrow();
        if (!isHttpUrl(url)) {
            throw ApiException.of(code, where + ".url must be an absolute http(s) URL");
        }
        return url;
    }

    static boolean isHttpUrl(String url) {
        if (url.isEmpty() || url.length() > MAX_URL) {
            return false;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && !uri.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
