package linegate.http;

import linegate.store.LineClass;
import linegate.store.Lines;
import linegate.store.LookupEpoch;
import linegate.store.NewLine;
import linegate.store.NoticeRecorder;
import linegate.store.PageAccessToken;
import linegate.store.TokenCipher;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.OpenApiContract;
import linegate.testing.Processes;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answers that need a gateway of their own, checked against the OpenAPI document it serves: 500 for a line whose
 * page token was sealed under another master key (on a node whose key opens the others), and 503 when Meta cannot
 * be reached at all (nothing sent). SQLite only: neither answer depends on the database.
 */
class OpenApiFaultAnswersTest {
    static final String SEND = "/api/v2/MakeInstagram.php";
    private static final byte[] OTHER_MASTER_KEY =
            Base64.getDecoder().decode("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=");

    @Test
    void aLineWhosePageTokenCannotBeReadAnswers500AsDocumented(@TempDir Path tmp) {
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp)) {
            long line = new Lines(gw.stores().db(), new TokenCipher(OTHER_MASTER_KEY), Clock.systemUTC(),
                    new LookupEpoch(), NoticeRecorder.NONE).create(new NewLine(gw.accountId, LineClass.INSTAGRAM,
                    Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.of("17841400000000042"),
                    Optional.empty(), true, false));
            gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

            OpenApiContract.servedBy(gw).check(500, "POST", SEND, gw.postJson(SEND, "{\"tsid\":\"" + gw.tsid
                    + "\",\"app_id\":" + line + ",\"dest\":\"1254477777772919\",\"mdata\":\"hi\"}"));
        }
    }

    @Test
    void metaRefusingTheConnectionAnswers503AsDocumented(@TempDir Path tmp) throws IOException {
        String nobody = "http://127.0.0.1:" + Processes.freePort();
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp, Gateway.env("LINEGATE_GRAPH_URL", nobody))) {
            Gateway.Response answer = OpenApiContract.servedBy(gw).check(503, "POST", SEND,
                    gw.postJson(SEND, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\"")));

            assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
        }
    }
}
