package linegate.http;

import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static linegate.http.Answers.assertRefused;
import static linegate.http.Answers.assertRefusedWithoutRow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * A request with several faults answers the first in the documented order (docs/status-codes.md: 201/202, 100/101,
 * 210/211, 220/221, 225, 226, 227/228/229/231, 230, 233, 234, 260, then the Graph call). Parameters are checked before
 * the line is looked up, so faults up to 230 write no row and carry no cdls_id.
 */
class MakeInstagramCheckOrderTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final String TSID = "$TSID";
    private static final String LINE = "$LINE";
    private static final String LONG_URL = "https://cdn.example.com/" + "u".repeat(2048);
    private static final String LONG_TEXT = "x".repeat(1001);
    private static final String LONG_MSG_ID = "m".repeat(129);

    int rowsBefore;

    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        rowsBefore = gw.rows().size();
    }

    static Stream<Arguments> faultsBeforeTheLine() {
        return Stream.of(
                argumentSet("malformed JSON and no tsid -> 201", "{\"app_id\":" + LINE + ",", 400, 201, "Malformed request"),
                argumentSet("malformed JSON and an unknown tsid -> 201", "{\"tsid\":\"nobody\",\"app_id\":1,]", 400, 201,
                        "Malformed request"),
                argumentSet("a JSON array and no tsid -> 201", "[\"" + TSID + "\"]", 400, 201, "Malformed request"),
                argumentSet("no tsid and no app_id -> 100", "{\"dest\":\"1\",\"mdata\":\"hi\"}", 401, 100, "No tsid"),
                argumentSet("no tsid and everything else wrong -> 100",
                        "{\"app_id\":\"x\",\"dest\":\"abc\",\"mtype\":\"sticker\",\"tag\":\"NOPE\"}", 401, 100, "No tsid"),
                argumentSet("an unknown tsid and no app_id -> 101", "{\"tsid\":\"nobody\",\"dest\":\"1\"}", 401, 101,
                        "Invalid tsid"),
                argumentSet("no app_id and no dest -> 210", "{\"tsid\":\"" + TSID + "\",\"mdata\":\"hi\"}", 400, 210,
                        "No app_id"),
                argumentSet("an invalid app_id and an invalid dest -> 211",
                        "{\"tsid\":\"" + TSID + "\",\"app_id\":\"seven\",\"dest\":\"abc\",\"mdata\":\"hi\"}", 400, 211,
                        "Invalid app_id"),
                argumentSet("no dest and an invalid mtype -> 220",
                        "{\"tsid\":\"" + TSID + "\",\"app_id\":" + LINE + ",\"mtype\":\"sticker\",\"mdata\":\"hi\"}", 400, 220,
                        "No dest"),
                argumentSet("an invalid dest and no mdata -> 221",
                        "{\"tsid\":\"" + TSID + "\",\"app_id\":" + LINE + ",\"dest\":\"abc\"}", 400, 221, "Invalid dest"),
                argumentSet("no mdata and an invalid mtype -> 225",
                        "{\"tsid\":\"" + TSID + "\",\"app_id\":" + LINE + ",\"dest\":\"1\",\"mtype\":\"sticker\"}", 400, 225,
                        "No mdata"),
                argumentSet("an invalid mtype and an invalid tag -> 226",
                        "{\"tsid\":\"" + TSID + "\",\"app_id\":" + LINE + ",\"dest\":\"1\",\"mtype\":\"sticker\",\"mdata\":\"x\","
                                + "\"tag\":\"NOPE\",\"msg_id\":\"" + LONG_MSG_ID + "\"}", 400, 226, "Invalid mtype"),
                argumentSet("an invalid media URL and a long msg_id and an invalid tag -> 227",
                        "{\"tsid\":\"" + TSID + "\",\"app_id\":" + LINE + ",\"dest\":\"1\",\"mtype\":\"image\",\"mdata\":\""
                                + LONG_URL + "\",\"msg_id\":\"" + LONG_MSG_ID + "\",\"tag\":\"NOPE\"}", 400, 227,
                        "Invalid media URL"),
                argumentSet("a long text and a long msg_id -> 228",
                        "{\"tsid\":\"" + TSID + "\",\"app_id\":" + LINE + ",\"dest\":\"1\",\"mdata\":\"" + LONG_TEXT
                                + "\",\"msg_id\":\"" + LONG_MSG_ID + "\",\"tag\":\"NOPE\"}", 400, 228, "Message too long"),
                argumentSet("a long msg_id and an invalid tag -> 229",
                        "{\"tsid\":\"" + TSID + "\",\"app_id\":" + LINE + ",\"dest\":\"1\",\"mdata\":\"hi\",\"msg_id\":\""
                                + LONG_MSG_ID + "\",\"tag\":\"NOPE\"}", 400, 229, "Invalid msg_id"),
                argumentSet("an invalid tag and a missing line -> 231",
                        "{\"tsid\":\"" + TSID + "\",\"app_id\":987654,\"dest\":\"1\",\"mdata\":\"hi\",\"tag\":\"NOPE\"}", 400,
                        231, "Invalid tag"),
                argumentSet("a missing line and an invalid media URL -> 227 (parameters before the line)",
                        "{\"tsid\":\"" + TSID + "\",\"app_id\":987654,\"dest\":\"1\",\"mtype\":\"video\",\"mdata\":\"/v.mp4\"}",
                        400, 227, "Invalid media URL"),
                argumentSet("a missing line and a long text -> 228 (parameters before the line)",
                        "{\"tsid\":\"" + TSID + "\",\"app_id\":987654,\"dest\":\"1\",\"mdata\":\"" + LONG_TEXT + "\"}", 400,
                        228, "Message too long"),
                argumentSet("a missing line and the HUMAN_AGENT tag -> 230",
                        "{\"tsid\":\"" + TSID + "\",\"app_id\":987654,\"dest\":\"1\",\"mdata\":\"hi\",\"tag\":\"HUMAN_AGENT\"}",
                        404, 230, "Instagram line not found"));
    }

    @ParameterizedTest
    @MethodSource("faultsBeforeTheLine")
    void answersTheFirstFaultInTheDocumentedOrderWithoutARow(String body, int httpStatus, int statusCode, String status) {
        Gateway.Response r = gw.postJson(PATH, body.replace(TSID, gw.tsid).replace(LINE, Long.toString(gw.lineId)));

        assertRefusedWithoutRow(gw, rowsBefore, r, httpStatus, statusCode, status);
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void answers202BeforeTheTokenForAnOversizedBodyWithoutTsid() {
        Gateway.Response r = gw.postJson(PATH, "{\"pad\":\"" + "p".repeat(70_000) + "\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 413, 202, "Request too large");
    }

    @Test
    void answers201BeforeTheTokenForABadQueryStringEscapeWithAnUnknownBearer() {
        Gateway.Response r = gw.sendRaw("POST", PATH + "?dest=%G0", Map.of("Authorization", "Bearer nobody"), new byte[0]);

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 201, "Malformed request");
    }

    @Test
    void answers101BeforeLookingAtTheLineOfAnotherAccount() {
        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"nobody\",\"app_id\":" + gw.lineId
                + ",\"dest\":\"1\",\"mdata\":\"hi\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 401, 101, "Invalid tsid");
    }

    @Test
    void answers230BeforeThePageTokenForAnInactiveLineWithoutToken() {
        long line = gw.newInstagramLine(false, false, Optional.empty());

        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + line
                + ",\"dest\":\"1\",\"mdata\":\"hi\",\"tag\":\"HUMAN_AGENT\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 404, 230, "Instagram line not found");
    }

    @Test
    void answers233BeforeTheHumanAgentCheckWithACdlsId() {
        long line = gw.newInstagramLine(true, false, Optional.empty());

        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + line
                + ",\"dest\":\"1\",\"mdata\":\"hi\",\"tag\":\"HUMAN_AGENT\"}");

        assertRefused(r, 422, 233, "No page access token");
        assertThat(gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow().state())
                .isEqualTo(LogState.FAILED);
        assertThat(gw.rows()).hasSize(rowsBefore + 1);
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }
}
