package linegate.http;

import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;
import linegate.channel.Channels;
import linegate.channel.SendRules;
import linegate.meta.OutboundMessage.Kind;
import linegate.send.SendRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * {@link SendRequestReader}: each send parameter and each refusal (docs/status-codes.md, 210 to 231), in the documented
 * order, on parameters as the HTTP layer hands them over (text, or structured for a JSON object or array). How JSON
 * numbers reach it (exponents, numbers beyond a long) is the HTTP layer's business and is not pinned here.
 */
class SendRequestReaderTest {
    private static final SendRules INSTAGRAM = Channels.standard().byName("instagram").orElseThrow().sendRules();
    private static final SendRules MESSENGER = Channels.standard().byName("messenger").orElseThrow().sendRules();
    private static final String DEST = "1254477777772919";
    private static final String IMAGE = "https://cdn.example.com/photos/42.jpg";

    // ---- a request that passes ----

    @Test
    void aTextRequestReadsEveryParameter() {
        SendRequest r = SendRequestReader.read(params("app_id", "42", "dest", DEST, "mdata", " Your order has shipped ",
                "msg_id", "crm-42", "tag", "HUMAN_AGENT"), INSTAGRAM);

        assertThat(r).isEqualTo(new SendRequest(42, DEST, Kind.TEXT, " Your order has shipped ", Optional.of("crm-42"), true));
        assertThat(r.tag()).contains("HUMAN_AGENT");
    }

    @Test
    void optionalParametersDefaultToTextWithoutMsgIdOrTag() {
        SendRequest r = SendRequestReader.read(params("app_id", "7", "dest", DEST, "mdata", "hi"), INSTAGRAM);

        assertThat(r).isEqualTo(new SendRequest(7, DEST, Kind.TEXT, "hi", Optional.empty(), false));
        assertThat(r.tag()).isEmpty();
        assertThat(r.mtype()).isEqualTo("text");
    }

    @Test
    void anEmptyStringCountsAsMissing() {
        SendRequest r = SendRequestReader.read(params("app_id", "7", "dest", DEST, "mdata", "hi", "mtype", "", "msg_id", "",
                "tag", ""), INSTAGRAM);

        assertThat(r).isEqualTo(new SendRequest(7, DEST, Kind.TEXT, "hi", Optional.empty(), false));
    }

    @Test
    void theLegacyV8lIdNamesTheLineWhenAppIdIsMissing() {
        assertThat(SendRequestReader.read(params("v8l_id", "9", "dest", DEST, "mdata", "hi"), INSTAGRAM).lineId())
                .isEqualTo(9);
        assertThat(SendRequestReader.read(params("app_id", "8", "v8l_id", "9", "dest", DEST, "mdata", "hi"),
                INSTAGRAM).lineId()).as("app_id wins").isEqualTo(8);
    }

    @Test
    void appIdAndDestAreReadWithoutSurroundingSpaces() {
        SendRequest r = SendRequestReader.read(params("app_id", " 42 ", "dest", " " + DEST + " ", "mdata", "hi"),
                INSTAGRAM);

        assertThat(r.lineId()).isEqualTo(42);
        assertThat(r.dest()).isEqualTo(DEST);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"image", "IMAGE", " Audio ", "video"})
    void instagramMediaKindsAreReadInAnyCase(String mtype) {
        SendRequest r = SendRequestReader.read(params("app_id", "1", "dest", DEST, "mtype", mtype, "mdata", IMAGE),
                INSTAGRAM);

        assertThat(r.kind()).isEqualTo(Kind.valueOf(mtype.strip().toUpperCase(java.util.Locale.ROOT)));
        assertThat(r.content()).isEqualTo(IMAGE);
    }

    @Test
    void messengerAlsoSendsFiles() {
        SendRequest r = SendRequestReader.read(params("app_id", "1", "dest", DEST, "mtype", "file", "mdata",
                "https://cdn.example.com/menu.pdf"), MESSENGER);

        assertThat(r.kind()).isEqualTo(Kind.FILE);
    }

    @Test
    void theTagIsReadInAnyCase() {
        assertThat(SendRequestReader.read(params("app_id", "1", "dest", DEST, "mdata", "hi", "tag", " human_agent "),
                INSTAGRAM).humanAgent()).isTrue();
    }

    @Test
    void mediaUrlsMayBeHttpOrHttpsInAnyCaseUpTo2048Characters() {
        String longest = "https://cdn.example.com/" + "u".repeat(2048 - "https://cdn.example.com/".length());
        for (String url : new String[]{"http://cdn.example.com/a.jpg", "HTTPS://CDN.example.com/a.jpg", longest}) {
            assertThat(SendRequestReader.read(params("app_id", "1", "dest", DEST, "mtype", "image", "mdata", url),
                    INSTAGRAM).content()).isEqualTo(url);
        }
    }

    // ---- text limits ----

    @Test
    void instagramCountsUtf8Bytes() {
        // "é" is two UTF-8 bytes: 500 of them are exactly the limit
        assertThat(read(INSTAGRAM, "mdata", "é".repeat(500)).content()).hasSize(500);
        assertThat(read(INSTAGRAM, "mdata", "x".repeat(1000)).content()).hasSize(1000);

        ApiException e = refused(INSTAGRAM, "mdata", "é".repeat(500) + "x");

        assertThat(e.code()).isEqualTo(StatusCode.MESSAGE_TOO_LONG);
        assertThat(e.detail()).isEqualTo("the text is 1001 UTF-8 bytes; instagram allows at most 1000");
    }

    @Test
    void messengerCountsCharactersNotUtf16Units() {
        // an emoji is one character and two UTF-16 units
        assertThat(read(MESSENGER, "mdata", "\uD83D\uDE00".repeat(2000)).content()).hasSize(4000);

        ApiException e = refused(MESSENGER, "mdata", "x".repeat(2001));

        assertThat(e.code()).isEqualTo(StatusCode.MESSAGE_TOO_LONG);
        assertThat(e.detail()).isEqualTo("the text is 2001 characters; messenger allows at most 2000");
    }

    @Test
    void theTextLimitDoesNotApplyToMedia() {
        // a 1001-byte URL is a valid media URL on Instagram: only text is measured against the text limit
        String url = "https://cdn.example.com/" + "u".repeat(1001);

        assertThat(read(INSTAGRAM, "mtype", "image", "mdata", url).content()).isEqualTo(url);
    }

    @Test
    void msgIdCountsCharacters() {
        String emoji128 = "\uD83D\uDE00".repeat(128);

        assertThat(read(INSTAGRAM, "msg_id", emoji128).msgId()).contains(emoji128);
        assertThat(read(INSTAGRAM, "msg_id", "m".repeat(128)).msgId()).contains("m".repeat(128));
        assertThat(refused(INSTAGRAM, "msg_id", "m".repeat(129)).code()).isEqualTo(StatusCode.INVALID_MSG_ID);
    }

    @Test
    void destMayHave64Digits() {
        assertThat(read(INSTAGRAM, "dest", "9".repeat(64)).dest()).isEqualTo("9".repeat(64));
    }

    // ---- each refusal ----

    static Stream<Arguments> refusals() {
        return Stream.of(
                argumentSet("no app_id -> 210", without("app_id"), StatusCode.NO_APP_ID),
                argumentSet("an empty app_id -> 210", with("app_id", ""), StatusCode.NO_APP_ID),
                argumentSet("a word as app_id -> 211", with("app_id", "line-1"), StatusCode.INVALID_APP_ID),
                argumentSet("app_id 0 -> 211", with("app_id", "0"), StatusCode.INVALID_APP_ID),
                argumentSet("a negative app_id -> 211", with("app_id", "-3"), StatusCode.INVALID_APP_ID),
                argumentSet("a fractional app_id -> 211", with("app_id", "1.5"), StatusCode.INVALID_APP_ID),
                argumentSet("an object as app_id -> 211", structured("app_id"), StatusCode.INVALID_APP_ID),
                argumentSet("a word as v8l_id without app_id -> 211", v8lId("x"), StatusCode.INVALID_APP_ID),
                argumentSet("no dest -> 220", without("dest"), StatusCode.NO_DEST),
                argumentSet("a dest with letters -> 221", with("dest", "12544777abc"), StatusCode.INVALID_DEST),
                argumentSet("a negative dest -> 221", with("dest", "-1254477777772919"), StatusCode.INVALID_DEST),
                argumentSet("a 65-digit dest -> 221", with("dest", "9".repeat(65)), StatusCode.INVALID_DEST),
                argumentSet("an array as dest -> 221", structured("dest"), StatusCode.INVALID_DEST),
                argumentSet("no mdata -> 225", without("mdata"), StatusCode.NO_MDATA),
                argumentSet("an object as mdata -> 225", structured("mdata"), StatusCode.NO_MDATA),
                argumentSet("an unknown mtype -> 226", with("mtype", "sticker"), StatusCode.INVALID_MTYPE),
                argumentSet("like_heart (no mtype of Linegate's) -> 226", with("mtype", "like_heart"), StatusCode.INVALID_MTYPE),
                argumentSet("an object as mtype -> 226", structured("mtype"), StatusCode.INVALID_MTYPE),
                argumentSet("an ftp URL -> 227", media("ftp://cdn.example.com/a.jpg"), StatusCode.INVALID_MEDIA_URL),
                argumentSet("a relative URL -> 227", media("/photos/42.jpg"), StatusCode.INVALID_MEDIA_URL),
                argumentSet("a URL without host -> 227", media("https:///photos/42.jpg"), StatusCode.INVALID_MEDIA_URL),
                argumentSet("not a URL -> 227", media("a photo of the shop"), StatusCode.INVALID_MEDIA_URL),
                argumentSet("a 2049-character URL -> 227", media("https://cdn.example.com/" + "u".repeat(2025)),
                        StatusCode.INVALID_MEDIA_URL),
                argumentSet("a 1001-byte text -> 228", with("mdata", "x".repeat(1001)), StatusCode.MESSAGE_TOO_LONG),
                argumentSet("a 129-character msg_id -> 229", with("msg_id", "m".repeat(129)), StatusCode.INVALID_MSG_ID),
                argumentSet("an array as msg_id -> 229", structured("msg_id"), StatusCode.INVALID_MSG_ID),
                argumentSet("another tag -> 231", with("tag", "ACCOUNT_UPDATE"), StatusCode.INVALID_TAG),
                argumentSet("an object as tag -> 231", structured("tag"), StatusCode.INVALID_TAG));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refuses(Map<String, Params.Value> request, StatusCode expected) {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> SendRequestReader.read(new Params(request), INSTAGRAM));

        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).isEqualTo(expected);
        assertThat(e.statusText()).isEqualTo(expected.status());
        assertThat(e.cdlsId()).as("no row before the line is looked up").isNull();
    }

    @Test
    void anUnknownMtypeNamesTheChannelsKinds() {
        assertThat(refused(INSTAGRAM, "mtype", "sticker").detail())
                .isEqualTo("mtype must be one of [audio, file, image, reaction, template, text, video] on instagram");
        assertThat(refused(MESSENGER, "mtype", "reaction").detail())
                .isEqualTo("mtype must be one of [audio, file, image, template, text, video] on messenger");
    }

    @Test
    void refusalsNeverEchoTheValue() {
        ApiException e = refused(INSTAGRAM, "dest", "secret-looking-value");

        assertThat(e.detail()).doesNotContain("secret-looking-value");
        assertThat(e.getMessage()).doesNotContain("secret-looking-value");
    }

    // ---- the order of the checks ----

    static Stream<Arguments> severalFaults() {
        return Stream.of(
                argumentSet("everything wrong -> 210", Map.of("dest", text("abc"), "mtype", text("sticker"),
                        "msg_id", text("m".repeat(129)), "tag", text("NOPE")), StatusCode.NO_APP_ID),
                argumentSet("a bad app_id before a missing dest -> 211", Map.of("app_id", text("x"), "mdata", text("hi")),
                        StatusCode.INVALID_APP_ID),
                argumentSet("a bad dest before a missing mdata -> 221", Map.of("app_id", text("1"), "dest", text("abc"),
                        "mtype", text("sticker")), StatusCode.INVALID_DEST),
                argumentSet("a missing mdata before a bad mtype -> 225", Map.of("app_id", text("1"), "dest", text(DEST),
                        "mtype", text("sticker"), "tag", text("NOPE")), StatusCode.NO_MDATA),
                argumentSet("a bad mtype before a bad msg_id -> 226", Map.of("app_id", text("1"), "dest", text(DEST),
                        "mdata", text("hi"), "mtype", text("sticker"), "msg_id", text("m".repeat(129))), StatusCode.INVALID_MTYPE),
                argumentSet("a bad URL before a bad msg_id and tag -> 227", Map.of("app_id", text("1"), "dest", text(DEST),
                        "mtype", text("image"), "mdata", text("nope"), "msg_id", text("m".repeat(129)), "tag", text("NOPE")),
                        StatusCode.INVALID_MEDIA_URL),
                argumentSet("a long text before a bad msg_id -> 228", Map.of("app_id", text("1"), "dest", text(DEST),
                        "mdata", text("x".repeat(1001)), "msg_id", text("m".repeat(129))), StatusCode.MESSAGE_TOO_LONG),
                argumentSet("a bad msg_id before a bad tag -> 229", Map.of("app_id", text("1"), "dest", text(DEST),
                        "mdata", text("hi"), "msg_id", text("m".repeat(129)), "tag", text("NOPE")), StatusCode.INVALID_MSG_ID));
    }

    @ParameterizedTest
    @MethodSource("severalFaults")
    void theFirstFailingCheckAnswers(Map<String, Params.Value> request, StatusCode expected) {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> SendRequestReader.read(new Params(request), INSTAGRAM));

        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).isEqualTo(expected);
    }

    // ---- helpers ----

    /** A valid Instagram text request with these name/value pairs replacing or adding to it. */
    private static Params params(String... pairs) {
        Map<String, Params.Value> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], text(pairs[i + 1]));
        }
        return new Params(values);
    }

    private static Map<String, Params.Value> valid() {
        return new HashMap<>(Map.of("app_id", text("42"), "dest", text(DEST), "mdata", text("Your order has shipped")));
    }

    private static Map<String, Params.Value> with(String name, String value) {
        Map<String, Params.Value> m = valid();
        m.put(name, text(value));
        return m;
    }

    private static Map<String, Params.Value> without(String name) {
        Map<String, Params.Value> m = valid();
        m.remove(name);
        return m;
    }

    private static Map<String, Params.Value> v8lId(String value) {
        Map<String, Params.Value> m = without("app_id");
        m.put("v8l_id", text(value));
        return m;
    }

    private static Map<String, Params.Value> structured(String name) {
        Map<String, Params.Value> m = valid();
        m.put(name, Params.Value.structuredValue());
        return m;
    }

    private static Map<String, Params.Value> media(String url) {
        Map<String, Params.Value> m = with("mtype", "image");
        m.put("mdata", text(url));
        return m;
    }

    private static Params.Value text(String s) {
        return Params.Value.text(s);
    }

    /** A valid request with these pairs replacing or adding to it, read on this channel. */
    private static SendRequest read(SendRules channel, String... pairs) {
        Map<String, Params.Value> m = valid();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], text(pairs[i + 1]));
        }
        return SendRequestReader.read(new Params(m), channel);
    }

    private static ApiException refused(SendRules channel, String... pairs) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> read(channel, pairs));
        assertThat(e).as("refused").isNotNull();
        return e;
    }
}
