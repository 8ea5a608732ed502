package linegate;

import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's try-it kit against the real server: scripts/fake-graph.py as Meta, answering Meta's documented errors
 * for its listed recipient ids (each becoming Linegate's status code of docs/status-codes.md), and
 * scripts/send-webhook.py posting signed deliveries that the server verifies and applies.
 */
class TryItKitTest {
    private static final String PEER = "1254477777772919";

    @TempDir
    Path tmp;
    private Process fakeGraph;
    private Gateway gw;

    @BeforeEach
    void fakeGraphAndServer() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")) || onPath("python3"), "python3 is not installed");
        fakeGraph = new ProcessBuilder("python3", "scripts/fake-graph.py", "0", "--slow", "4")
                .redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(fakeGraph.getInputStream(),
                    StandardCharsets.UTF_8))) {
                r.lines().forEach(lines::add);
            } catch (java.io.IOException stopped) {
                // the stand-in was stopped
            }
        });
        String first = lines.poll(15, TimeUnit.SECONDS);
        Matcher port = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(String.valueOf(first));
        assertThat(port.find()).as("fake-graph started: " + first).isTrue();
        Map<String, String> env = new HashMap<>(Webhooks.env());
        env.put("LINEGATE_GRAPH_URL", port.group(1));
        env.put("LINEGATE_GRAPH_TIMEOUT_MS", "2000");
        gw = Gateway.start(TestDb.SQLITE, tmp, env);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (gw != null) {
            gw.close();
        }
        if (fakeGraph != null) {
            fakeGraph.destroy();
            fakeGraph.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void fakeGraphAnswersMetasErrorsForItsListedRecipients() {
        assertThat(send(gw.lineId, PEER).statusCode()).isEqualTo(200);
        assertThat(send(gw.lineId, PEER).ret().path("messageId").asText()).startsWith("m_fake_");
        assertThat(send(gw.lineId, "190190190").statusCode()).isEqualTo(250);
        assertThat(send(gw.lineId, "551551551").statusCode()).isEqualTo(241);
        Gateway.Response noUser = send(gw.lineId, "2018001");
        assertThat(noUser.statusCode()).isEqualTo(242);
        assertThat(noUser.ret().path("meta_error").path("subcode").asInt()).isEqualTo(2018001);
        assertThat(send(gw.lineId, "280280280").statusCode()).isEqualTo(280); // held 4 s, Linegate waits 2
        // the rate limits pause their line: each on a line of its own, the last checks
        long other = gw.newInstagramLine(true, false, Optional.of(Gateway.PAGE_TOKEN));
        Gateway.Response throttled = send(other, "613613613");
        assertThat(throttled.statusCode()).isEqualTo(260);
        assertThat(throttled.ret().path("meta_error").path("code").asInt()).isEqualTo(613);
        assertThat(send(other, PEER).statusCode()).as("the line is paused for Meta's minute").isEqualTo(260);
        long third = gw.newInstagramLine(true, false, Optional.of(Gateway.PAGE_TOKEN));
        assertThat(send(third, "80001").ret().path("meta_error").path("code").asInt()).isEqualTo(80001);
        assertThat(send(third, PEER).ret().path("retry_after").asLong()).isBetween(1L, 60L);
    }

    @Test
    void sendWebhookPostsSignedDeliveriesTheServerApplies() throws Exception {
        Webhooks webhooks = new Webhooks(gw);
        assertThat(webhook("message", "--text", "Do you have an appointment on Monday?").output())
                .contains("send-webhook: 200");
        webhooks.awaitSettled();
        List<LogRow> rows = gw.rows();
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.direction()).isEqualTo("in");
            assertThat(r.mdata()).isEqualTo("Do you have an appointment on Monday?");
        });

        Gateway.Response sent = send(gw.lineId, PEER);
        String mid = sent.ret().path("messageId").asText();
        long cdlsId = sent.ret().path("cdls_id").asLong();
        assertThat(webhook("delivery", "--mid", mid).exit()).isZero();
        webhooks.awaitSettled();
        assertThat(webhooks.row(cdlsId).state()).isEqualTo(LogState.DELIVERED);
        assertThat(webhook("read", "--mid", mid).exit()).isZero();
        webhooks.awaitSettled();
        assertThat(webhooks.row(cdlsId).state()).isEqualTo(LogState.READ);
    }

    @Test
    void sendWebhookWithAnotherSecretIsRefused() throws Exception {
        Ran r = run(List.of("python3", "scripts/send-webhook.py", "message", "--to", Gateway.IG_ACCOUNT_ID,
                "--from", PEER, "--url", gw.baseUrl() + Webhooks.PATH, "--secret", "not-the-app-secret"));

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("send-webhook: 403");
    }

    record Ran(int exit, String output) {
    }

    private Ran webhook(String kind, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", "scripts/send-webhook.py", kind, "--to",
                Gateway.IG_ACCOUNT_ID, "--from", PEER, "--url", gw.baseUrl() + Webhooks.PATH,
                "--secret", Webhooks.APP_SECRET));
        cmd.addAll(List.of(extra));
        return run(cmd);
    }

    private Ran run(List<String> cmd) throws Exception {
        Path out = tmp.resolve("out-" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), Files.readString(out));
    }

    private Gateway.Response send(long line, String dest) {
        return gw.postJson(Webhooks.MAKE_INSTAGRAM, gw.sendJson("\"app_id\":" + line + ",\"dest\":\"" + dest
                + "\",\"mdata\":\"Thanks for reaching out\""));
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
