package linegate.http;

import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;
import linegate.channel.Channels;
import linegate.channel.SendRules;
import linegate.meta.OutboundMessage;
import linegate.send.SendRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every limit of contract §11 at its boundary, as the send reader checks it before anything else happens: the last
 * value Meta allows is taken, one more answers the code with a detail that names the limit. JSON-valued parameters
 * come as a JSON value (a JSON body's structured value) and as a JSON string (form bodies and query strings) alike.
 */
class RichMessageLimitsTest {
    private static final SendRules INSTAGRAM = Channels.standard().byName("instagram").orElseThrow().sendRules();
    private static final SendRules MESSENGER = Channels.standard().byName("messenger").orElseThrow().sendRules();
    private static final String MID = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1NzkzMTg3MjE4";

    // ---- quick replies --------------------------------------------------------------------------------------------

    @Test
    void takesThirteenQuickRepliesAndRefusesFourteen() {
        SendRequest ok = read(INSTAGRAM, json("quick_replies", replies(13, "Yes", "Y")));
        ApiException over = refused(INSTAGRAM, json("quick_replies", replies(14, "Yes", "Y")));

        assertThat(((OutboundMessage.Text) ok.body()).quickReplies()).hasSize(13);
        assertThat(over.code()).isEqualTo(StatusCode.INVALID_QUICK_REPLIES);
        assertThat(over.detail()).contains("1 to 13").contains("it has 14");
    }

    @Test
    void takesATwentyCharacterTitleAndRefusesTwentyOne() {
        read(INSTAGRAM, json("quick_replies", replies(1, "t".repeat(20), "Y")));
        ApiException over = refused(INSTAGRAM, json("quick_replies", replies(1, "t".repeat(21), "Y")));

        assertThat(over.code()).isEqualTo(StatusCode.INVALID_QUICK_REPLIES);
        assertThat(over.detail()).isEqualTo("quick_replies[0].title is 21 characters; at most 20");
    }

    @Test
    void countsTitlesInCharactersNotUtf16Units() {
        // 20 emoji are 40 UTF-16 units and 20 characters
        read(INSTAGRAM, json("quick_replies", replies(1, "\uD83D\uDE00".repeat(20), "Y")));
    }

    @Test
    void takesAThousandCharacterPayloadAndRefusesOneMore() {
        read(MESSENGER, json("quick_replies", replies(1, "Yes", "p".repeat(1000))));
        ApiException over = refused(MESSENGER, json("quick_replies", replies(1, "Yes", "p".repeat(1001))));

        assertThat(over.detail()).isEqualTo("quick_replies[0].payload is 1001 characters; at most 1000");
    }

    @Test
    void readsQuickRepliesFromAJsonStringAsFromAJsonValue() {
        SendRequest fromString = read(INSTAGRAM, text("quick_replies", replies(2, "Yes", "Y")));
        SendRequest fromValue = read(INSTAGRAM, json("quick_replies", replies(2, "Yes", "Y")));

        assertThat(fromString.body()).isEqualTo(fromValue.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "{}", "\"Yes\"", "[{\"title\":\"Yes\"}]", "[{\"title\":\"Yes\",\"payload\":\"Y\","
            + "\"content_type\":\"user_email\"}]", "[{\"title\":\"Yes\",\"payload\":\"Y\",\"image_url\":\"x\"}]",
            "[{\"title\":1,\"payload\":\"Y\"}]", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "[{\"title\":\"Y\"} ,]"})
    void refusesQuickRepliesThatAreNoneWith232(String value) {
        assertThat(refused(INSTAGRAM, text("quick_replies", value)).code()).isEqualTo(StatusCode.INVALID_QUICK_REPLIES);
    }

    @Test
    void refusesAJsonValueOverItsBoundBeforeParsingIt() {
        String huge = "[" + "{},".repeat(100_000) + "{}]";

        ApiException e = refused(INSTAGRAM, text("quick_replies", huge));
        assertThat(e.code()).isEqualTo(StatusCode.INVALID_QUICK_REPLIES);
        assertThat(e.detail()).isEqualTo("quick_replies is over 262144 characters of JSON");
    }

    @Test
    void aJsonBodyKeepsAnArrayOrObjectAsItsSourceTextAfterMultibyteText() {
        String body = "{\"t\":\"Gr\u00fc\u00dfe \uD83D\uDE00\",\"mdata\":[ \"\u00fc\" , {\"b\":[1,2]} ],\"x\":{\"y\":null}}";
        Params p = new Params(new JsonParams(65_536).parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(p.json("mdata")).contains("[ \"\u00fc\" , {\"b\":[1,2]} ]");
        assertThat(p.json("x")).contains("{\"y\":null}");
        assertThat(p.text("mdata")).isEmpty();
        assertThat(p.json("t")).contains("Gr\u00fc\u00dfe \uD83D\uDE00");
    }

    // ---- several images -------------------------------------------------------------------------------------------

    @Test
    void takesTenImagesOnInstagramAndThirtyOnMessengerAndRefusesOneMore() {
        assertThat(((OutboundMessage.Images) read(INSTAGRAM, images(10)).body()).urls()).hasSize(10);
        assertThat(((OutboundMessage.Images) read(MESSENGER, images(30)).body()).urls()).hasSize(30);

        ApiException ig = refused(INSTAGRAM, images(11));
        ApiException fb = refused(MESSENGER, images(31));
        assertThat(ig.code()).isEqualTo(StatusCode.INVALID_MEDIA_URL);
        assertThat(ig.detail()).isEqualTo("mdata has 11 images; instagram allows at most 10 in one message");
        assertThat(fb.detail()).isEqualTo("mdata has 31 images; messenger allows at most 30 in one message");
    }

    @Test
    void oneImageInAnArrayIsOneAttachment() {
        SendRequest one = read(INSTAGRAM, Map.of("mtype", Params.Value.text("image"),
                "mdata", Params.Value.structuredValue("[\"https://cdn.example.com/a.jpg\"]")));

        assertThat(one.body()).isEqualTo(new OutboundMessage.Media(OutboundMessage.Kind.IMAGE, "https://cdn.example.com/a.jpg"));
        assertThat(one.content()).isEqualTo("https://cdn.example.com/a.jpg");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[\"ftp://cdn.example.com/a.jpg\",\"https://cdn.example.com/b.jpg\"]",
            "[1,2]", "[\"https://cdn.example.com/a.jpg\",", "[\"https://cdn.example.com/a.jpg\"] x"})
    void refusesSeveralImagesThatAreNotUrlsWith227(String value) {
        assertThat(refused(INSTAGRAM, Map.of("mtype", Params.Value.text("image"), "mdata", Params.Value.text(value)))
                .code()).isEqualTo(StatusCode.INVALID_MEDIA_URL);
    }

    // ---- templates ------------------------------------------------------------------------------------------------

    @Test
    void takesTenElementsAndRefusesEleven() {
        assertThat(((OutboundMessage.Generic) read(INSTAGRAM, template(10, 0)).body()).elements()).hasSize(10);
        ApiException over = refused(INSTAGRAM, template(11, 0));

        assertThat(over.code()).isEqualTo(StatusCode.INVALID_TEMPLATE);
        assertThat(over.detail()).isEqualTo("for a template mdata is a JSON array of 1 to 10 elements; it has 11");
    }

    @Test
    void takesThreeButtonsAndRefusesFour() {
        read(MESSENGER, template(1, 3));
        ApiException over = refused(MESSENGER, template(1, 4));

        assertThat(over.detail()).isEqualTo("mdata[0].buttons is an array of at most 3 buttons; it has 4");
    }

    @Test
    void takesEightyCharacterTitlesAndTwentyCharacterButtonTitles() {
        read(INSTAGRAM, element("{\"title\":\"" + "t".repeat(80) + "\",\"subtitle\":\"" + "s".repeat(80) + "\"}"));
        read(INSTAGRAM, element("{\"title\":\"Hats\",\"buttons\":[{\"type\":\"postback\",\"title\":\"" + "b".repeat(20)
                + "\",\"payload\":\"P\"}]}"));

        assertThat(refused(INSTAGRAM, element("{\"title\":\"" + "t".repeat(81) + "\"}")).detail())
                .isEqualTo("mdata[0].title is 81 characters; at most 80");
        assertThat(refused(INSTAGRAM, element("{\"title\":\"Hats\",\"subtitle\":\"" + "s".repeat(81) + "\"}")).detail())
                .isEqualTo("mdata[0].subtitle is 81 characters; at most 80");
        assertThat(refused(INSTAGRAM, element("{\"title\":\"Hats\",\"buttons\":[{\"type\":\"postback\",\"title\":\""
                + "b".repeat(21) + "\",\"payload\":\"P\"}]}")).detail())
                .isEqualTo("mdata[0].buttons[0].title is 21 characters; at most 20");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "{\"title\":\"Hats\"}", "[{\"subtitle\":\"no title\"}]",
            "[{\"title\":\"Hats\",\"buttons\":[{\"type\":\"phone_number\",\"title\":\"Call\",\"payload\":\"+1\"}]}]",
            "[{\"title\":\"Hats\",\"buttons\":[{\"type\":\"web_url\",\"title\":\"Go\"}]}]",
            "[{\"title\":\"Hats\",\"image_url\":\"javascript:alert(1)\"}]",
            "[{\"title\":\"Hats\",\"default_action\":{\"type\":\"postback\",\"url\":\"https://x.example\"}}]",
            "[{\"title\":\"Hats\",\"colour\":\"red\"}]", "[{\"title\":\"Hats\\u0000\"}]"})
    void refusesTemplatesThatAreNoneWith237(String value) {
        assertThat(refused(INSTAGRAM, Map.of("mtype", Params.Value.text("template"), "mdata", Params.Value.text(value)))
                .code()).isEqualTo(StatusCode.INVALID_TEMPLATE);
    }

    // ---- reactions, reply_to, comment_id, agent ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"love", "LOVE", "unreact", "\u2764\uFE0F", "\uD83D\uDE02", "\uD83D\uDC4D\uD83C\uDFFD",
            "\uD83C\uDDEB\uD83C\uDDF7", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"})
    void takesLoveAnEmojiOrUnreact(String reaction) {
        SendRequest r = read(INSTAGRAM, reaction(reaction));

        assertThat(r.body()).isInstanceOf(OutboundMessage.Reaction.class);
        assertThat(((OutboundMessage.Reaction) r.body()).messageId()).isEqualTo(MID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"like", "<3", "\u2764 love", "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", "\u0000"})
    void refusesAReactionThatIsNoneWith239(String reaction) {
        assertThat(refused(INSTAGRAM, reaction(reaction)).code()).isEqualTo(StatusCode.INVALID_ACTION);
    }

    @Test
    void takesA512CharacterMidAndRefusesLongerOrSpacedOnes() {
        read(INSTAGRAM, text("reply_to", "m".repeat(512)));

        assertThat(refused(INSTAGRAM, text("reply_to", "m".repeat(513))).code()).isEqualTo(StatusCode.INVALID_REPLY_TO);
        assertThat(refused(INSTAGRAM, text("reply_to", "m_1 2")).code()).isEqualTo(StatusCode.INVALID_REPLY_TO);
        assertThat(refused(INSTAGRAM, Map.of("reply_to", Params.Value.structuredValue("{\"mid\":\"m_1\"}"))).code())
                .isEqualTo(StatusCode.INVALID_REPLY_TO);
    }

    @Test
    void readsACommentIdInsteadOfDest() {
        Map<String, Params.Value> m = valid();
        m.remove("dest");
        m.put("comment_id", Params.Value.text("107346828715123_1234567890"));
        SendRequest r = SendRequestReader.read(new Params(m), MESSENGER);

        assertThat(r.options().toComment()).isTrue();
        assertThat(r.message(false).recipient()).isEqualTo(OutboundMessage.Recipient.comment("107346828715123_1234567890"));
        m.put("comment_id", Params.Value.text("abc"));
        assertThat(catchThrowableOfType(ApiException.class, () -> SendRequestReader.read(new Params(m), MESSENGER)).code())
                .isEqualTo(StatusCode.INVALID_DEST);
    }

    @Test
    void readsAgentHumanAndRefusesAnyOtherAgentWith231() {
        assertThat(read(INSTAGRAM, text("agent", "human")).options().humanAuthor()).isTrue();
        assertThat(refused(INSTAGRAM, text("agent", "bot")).code()).isEqualTo(StatusCode.INVALID_TAG);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static Map<String, Params.Value> valid() {
        Map<String, Params.Value> m = new HashMap<>();
        m.put("app_id", Params.Value.text("1234"));
        m.put("dest", Params.Value.text("1254477777772919"));
        m.put("mdata", Params.Value.text("Which time suits you?"));
        return m;
    }

    private static SendRequest read(SendRules channel, Map<String, Params.Value> extra) {
        Map<String, Params.Value> m = valid();
        m.putAll(extra);
        return SendRequestReader.read(new Params(m), channel);
    }

    private static ApiException refused(SendRules channel, Map<String, Params.Value> extra) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> read(channel, extra));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    private static Map<String, Params.Value> json(String name, String json) {
        return Map.of(name, Params.Value.structuredValue(json));
    }

    private static Map<String, Params.Value> text(String name, String value) {
        return Map.of(name, Params.Value.text(value));
    }

    private static String replies(int n, String title, String payload) {
        return IntStream.range(0, n).mapToObj(i -> "{\"title\":\"" + title + "\",\"payload\":\"" + payload + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static Map<String, Params.Value> images(int n) {
        return Map.of("mtype", Params.Value.text("image"), "mdata", Params.Value.structuredValue(IntStream.rangeClosed(1, n)
                .mapToObj(i -> "\"https://cdn.example.com/p" + i + ".jpg\"").collect(Collectors.joining(",", "[", "]"))));
    }

    private static Map<String, Params.Value> template(int elements, int buttons) {
        String button = "{\"type\":\"web_url\",\"url\":\"https://shop.example.com/hats\",\"title\":\"View\"}";
        String element = "{\"title\":\"Hats\",\"buttons\":[" + String.join(",", java.util.Collections.nCopies(buttons, button))
                + "]}";
        return Map.of("mtype", Params.Value.text("template"),
                "mdata", Params.Value.text(String.join(",", java.util.Collections.nCopies(elements, element))
                        .transform(s -> "[" + s + "]")));
    }

    private static Map<String, Params.Value> element(String element) {
        return Map.of("mtype", Params.Value.text("template"), "mdata", Params.Value.structuredValue("[" + element + "]"));
    }

    private static Map<String, Params.Value> reaction(String reaction) {
        return Map.of("mtype", Params.Value.text("reaction"), "mdata", Params.Value.text(reaction),
                "reply_to", Params.Value.text(MID));
    }
}
