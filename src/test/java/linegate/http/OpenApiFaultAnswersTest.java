package linegate.http;

import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.OpenApiContract;
import linegate.testing.Processes;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answers that need a gateway of their own, checked against the OpenAPI document it serves: 500 for a line whose
 * page token was sealed under another master key, and 503 when Meta cannot be reached at all (nothing sent). SQLite
 * only: the 500 reopens one database file under a second key, and neither answer depends on the database.
 */
class OpenApiFaultAnswersTest {
    static final String SEND = "/api/v2/MakeInstagram.php";
    private static final String OTHER_MASTER_KEY = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

    @Test
    void aLineWhosePageTokenCannotBeReadAnswers500AsDocumented(@TempDir Path tmp) {
        String tsid;
        long line;
        try (Gateway before = Gateway.start(TestDb.SQLITE, tmp)) {
            tsid = before.tsid;
            line = before.lineId;
        }
        try (Gateway after = Gateway.start(TestDb.SQLITE, tmp, Gateway.env("LINEGATE_MASTER_KEY", OTHER_MASTER_KEY))) {
            after.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

            OpenApiContract.servedBy(after).check(500, "POST", SEND, after.postJson(SEND, "{\"tsid\":\"" + tsid
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
