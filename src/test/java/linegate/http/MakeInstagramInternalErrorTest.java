package linegate.http;

import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static linegate.http.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 500: a fault of Linegate, details only in its own log. Provoked for real: a line whose page token was sealed under
 * another master key (an operator who changed LINEGATE_MASTER_KEY). SQLite only, because the test reopens the same
 * database file under a second key.
 */
class MakeInstagramInternalErrorTest {
    private static final String OTHER_MASTER_KEY = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

    @Test
    void answers500WithoutDetailsAndAFailedRowForAPageTokenSealedUnderAnotherMasterKey(@TempDir Path tmp) {
        String tsid;
        long line;
        try (Gateway before = Gateway.start(TestDb.SQLITE, tmp)) {
            tsid = before.tsid;
            line = before.lineId;
        }
        try (Gateway after = Gateway.start(TestDb.SQLITE, tmp, Gateway.env("LINEGATE_MASTER_KEY", OTHER_MASTER_KEY))) {
            after.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

            Gateway.Response r = after.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + tsid + "\",\"app_id\":" + line
                    + ",\"dest\":\"1254477777772919\",\"mdata\":\"hi\"}");

            assertRefused(r, 500, 500, "Internal error");
            assertThat(r.ret().has("detail")).as("no details for the client in %s", r.raw()).isFalse();
            assertThat(r.raw()).doesNotContainIgnoringCase("master key").doesNotContainIgnoringCase("decrypt");
            after.meta().verify(0, anyRequestedFor(anyUrl()));
            LogRow row = after.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
            assertThat(row.state()).isEqualTo(LogState.FAILED);
            assertThat(row.lineId()).isEqualTo(line);
            assertThat(row.error()).hasValueSatisfying(e -> assertThat(e.statusCode()).isEqualTo(500));
        }
    }
}
