package linegate;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.http.Fault;
import linegate.store.LineClass;
import linegate.store.Lines;
import linegate.store.LookupEpoch;
import linegate.store.NoticeRecorder;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.TokenCipher;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No page access token and no API token ever appears in a log line (message or stack trace), a response, or the
 * operator's output, whatever path a request takes: success, Meta's refusals, timeouts, resets, internal errors.
 */
class SecretsStayOutOfLogsTest {
    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<String> answers = new ArrayList<>();
    private Gateway gw;

    @BeforeEach
    void capture() {
        logs.start();
        root().addAppender(logs);
        gw = Gateway.start(TestDb.SQLITE, tmp, Gateway.env("LINEGATE_GRAPH_TIMEOUT_MS", "300"));
    }

    @AfterEach
    void release() {
        gw.close();
        root().detachAppender(logs);
    }

    @Test
    void noTokenInAnyLogLineResponseOrCommandOutput() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        send("\"dest\":\"1\",\"mdata\":\"ok\"");
        gw.metaAnswers(400, MetaSamples.read("error-envelope-graph-error-handling.doc.json"));
        send("\"dest\":\"1\",\"mdata\":\"expired\"");
        gw.meta().stubFor(post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withFixedDelay(1000)));
        send("\"dest\":\"1\",\"mdata\":\"timeout\"");
        gw.meta().stubFor(post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        send("\"dest\":\"1\",\"mdata\":\"reset\"");
        gw.meta().stubFor(post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withStatus(502).withBody("<html>" + Gateway.PAGE_TOKEN)));
        send("\"dest\":\"1\",\"mdata\":\"html\"");

        // a line whose token was sealed under another master key: an internal error, logged
        byte[] otherKey = new byte[32];
        long foreign = new Lines(gw.stores().db(), new TokenCipher(otherKey), Clock.systemUTC(), new LookupEpoch(),
                NoticeRecorder.NONE).create(new NewLine(
                gw.accountId, LineClass.INSTAGRAM, Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.empty(),
                Optional.empty(), true, false));
        answers.add(gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + foreign
                + ",\"dest\":\"1\",\"mdata\":\"x\"}").raw());
        // a revoked token, and a token sent as a Bearer header
        answers.add(gw.post("/api/v2/MakeInstagram", "application/json", "{\"app_id\":1,\"dest\":\"1\",\"mdata\":\"x\"}",
                Map.of("Authorization", "Bearer " + gw.tsid + "x")).raw());

        String logText = String.join("\n", logs.list.stream().map(SecretsStayOutOfLogsTest::render).toList());
        assertThat(logs.list).isNotEmpty();
        assertThat(logText).contains("cdls_id=") // the log does speak about these sends...
                .doesNotContain(Gateway.PAGE_TOKEN, gw.tsid); // ...but never with a token
        assertThat(answers).hasSize(7);
        assertThat(String.join("\n", answers)).doesNotContain(Gateway.PAGE_TOKEN, gw.tsid, "java.", "\tat ", "decrypt");
    }

    @Test
    void operatorOutputMasksThePageToken() {
        Map<String, String> env = new HashMap<>(TestDb.SQLITE.freshEnv(tmp.resolve("cli")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        Main.run(new String[]{"account", "create", "--name", "A"}, env, ps, ps);
        Main.run(new String[]{"line", "create", "--account", "1", "--class", "instagram", "--page-token", Gateway.PAGE_TOKEN},
                env, ps, ps);
        Main.run(new String[]{"line", "list"}, env, ps, ps);
        Main.run(new String[]{"line", "update", "1", "--active", "false"}, env, ps, ps);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("\"page_token\":\"****ZDZD\"").doesNotContain(Gateway.PAGE_TOKEN);
    }

    private void send(String members) {
        answers.add(gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson(members)).raw());
    }

    private static String render(ILoggingEvent e) {
        return e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy()));
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
