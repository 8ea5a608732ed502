package linegate.http;

import linegate.store.LineClass;
import linegate.store.Lines;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.store.LookupEpoch;
import linegate.store.NewLine;
import linegate.store.NoticeRecorder;
import linegate.store.PageAccessToken;
import linegate.store.TokenCipher;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static linegate.http.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 500: a fault of Linegate, details only in its own log. Provoked for real: a line whose page token was sealed under
 * another master key (set by a node that had another LINEGATE_MASTER_KEY), on a node whose key opens the other lines'
 * tokens. (A node whose key opens none of them refuses to start instead: MasterKeyCheckTest.)
 */
class MakeInstagramInternalErrorTest {
    private static final byte[] OTHER_MASTER_KEY = Base64.getDecoder().decode("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=");

    @Test
    void answers500WithoutDetailsAndAFailedRowForAPageTokenSealedUnderAnotherMasterKey(@TempDir Path tmp) {
        try (Gateway after = Gateway.start(TestDb.SQLITE, tmp)) {
            String tsid = after.tsid;
            long line = new Lines(after.stores().db(), new TokenCipher(OTHER_MASTER_KEY), Clock.systemUTC(),
                    new LookupEpoch(), NoticeRecorder.NONE).create(new NewLine(after.accountId, LineClass.INSTAGRAM,
                    Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.of("17841400000000042"),
                    Optional.empty(), true, false));
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
