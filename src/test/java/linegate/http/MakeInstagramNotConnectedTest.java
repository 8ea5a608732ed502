package linegate.http;

import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static linegate.http.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No connection to Meta could be made (nothing listens, the host refuses): not a byte of the request reached Meta, so
 * the row is {@code failed} with "nothing was sent", its msg_id is free again, and the client is told to retry (503
 * with Retry-After), not that the message may have been delivered (280).
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class MakeInstagramNotConnectedTest {
    private static final String PATH = "/api/v2/MakeInstagram.php";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Gateway gw;

    @AfterEach
    void stop() {
        gw.close();
    }

    private Gateway.Response send(String msgId) {
        return gw.postJson(PATH, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\",\"msg_id\":\"" + msgId + "\""));
    }

    private void assertNotSent(Gateway.Response r, String msgId) {
        assertRefused(r, 503, 503, "Service unavailable");
        assertThat(r.ret().path("detail").asText()).contains("could not connect to Meta", "nothing was sent");
        assertThat(r.ret().path("retry_after").asLong()).isEqualTo(5);
        assertThat(r.headers().firstValue("Retry-After")).contains("5");
        assertThat(r.ret().has("meta_error")).isFalse();
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.msgId()).contains(msgId);
        assertThat(row.error().orElseThrow().statusCode()).isEqualTo(503);
        assertThat(row.error().orElseThrow().detail()).contains("could not connect to Meta");
    }

    @Test
    void aClosedPortIsNotSentAndTheRetryIsANewAttempt() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        gw = Gateway.start(db, tmp, Map.of("LINEGATE_GRAPH_URL", "http://127.0.0.1:" + closed));

        Gateway.Response first = send("crm-closed");
        Gateway.Response retry = send("crm-closed");

        assertNotSent(first, "crm-closed");
        assertNotSent(retry, "crm-closed");
        assertThat(retry.ret().path("cdls_id").asLong()).as("the failed first attempt does not hold the msg_id")
                .isNotEqualTo(first.ret().path("cdls_id").asLong());
    }

    @Test
    void metaStoppedIsNotSent() {
        gw = Gateway.start(db, tmp);
        gw.meta().stop();

        assertNotSent(send("crm-stopped"), "crm-stopped");
    }
}
