package linegate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.Main;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.Processes;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code linegate queue list} and {@code linegate queue cancel} against a running gateway's database, both databases:
 * Meta cannot be reached and the retry back-off is long, so queued sends stay queued after their first attempt.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class QueueCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PEER = "1254477777772919";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Gateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private Gateway start() throws IOException {
        gw = Gateway.start(db, tmp, Map.of("LINEGATE_GRAPH_URL", "http://127.0.0.1:" + Processes.freePort(),
                "LINEGATE_QUEUE_RETRY_BASE_MS", "600000"));
        return gw;
    }

    /** A queued send; waits until it is back in the queue after {@code attempts} attempts. */
    private long queue(long lineId, String text, int attempts) {
        Gateway.Response r = gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + lineId
                + ",\"dest\":\"" + PEER + "\",\"mdata\":\"" + text + "\",\"async\":1}");
        assertThat(r.statusCode()).as(r.raw()).isEqualTo(207);
        long id = r.ret().path("cdls_id").asLong();
        Webhooks.await("row " + id + " queued after " + attempts + " attempts", () -> gw.stores().log().find(id)
                .filter(row -> row.state() == LogState.QUEUED && row.attempts().orElse(-1) == attempts));
        return id;
    }

    @Test
    void listShowsEachQueuedSendWithItsAttemptsAndWhyItWaitsFilteredByAccountAndLine() throws IOException {
        start();
        long otherLine = gw.newInstagramLine(true, false, Optional.of(Gateway.PAGE_TOKEN));
        long first = queue(gw.lineId, "first", 1);
        long second = queue(gw.lineId, "second", 0); // behind the first: never attempted
        long third = queue(otherLine, "third", 1);

        List<JsonNode> all = run("queue", "list").lines();
        List<JsonNode> line = run("queue", "list", "--line", Long.toString(otherLine)).lines();
        List<JsonNode> account = run("queue", "list", "--account", Long.toString(gw.accountId)).lines();
        List<JsonNode> noneOfThem = run("queue", "list", "--account", "999").lines();

        assertThat(all).extracting(j -> j.path("cdls_id").asLong()).containsExactly(first, second, third);
        assertThat(account).hasSize(3);
        assertThat(line).extracting(j -> j.path("cdls_id").asLong()).containsExactly(third);
        assertThat(noneOfThem).isEmpty();
        JsonNode waiting = all.get(0);
        assertThat(waiting.path("state").asText()).isEqualTo("queued");
        assertThat(waiting.path("attempts").asInt()).isEqualTo(1);
        assertThat(waiting.path("next_attempt_at").asText()).endsWith("Z");
        assertThat(waiting.path("last_retry_reason").asText()).contains("could not connect to Meta");
        assertThat(all.get(1).path("attempts").asInt()).as("waits behind the first of its conversation").isZero();
    }

    @Test
    void cancelFailsAQueuedSendWith263AndItsEventSaysSo() throws IOException {
        start();
        long queued = queue(gw.lineId, "cancel me", 1);

        JsonNode cancelled = run("queue", "cancel", Long.toString(queued)).single();

        assertThat(cancelled.path("cdls_id").asLong()).isEqualTo(queued);
        assertThat(cancelled.path("status_code").asInt()).isEqualTo(263);
        LogRow row = gw.stores().log().find(queued).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.error().orElseThrow().statusCode()).isEqualTo(263);
        assertThat(row.error().orElseThrow().status()).isEqualTo("Cancelled");
        Gateway.Response feed = gw.get("/api/v2/Events.php?tsid=" + gw.tsid + "&after=0");
        assertThat(feed.ret().path("events")).filteredOn(e -> e.path("message").path("cdls_id").asLong() == queued)
                .singleElement().satisfies(e -> {
                    assertThat(e.path("type").asText()).isEqualTo("message.status");
                    assertThat(e.path("message").path("state").asText()).isEqualTo("failed");
                    assertThat(e.path("message").path("error").path("status_code").asInt()).isEqualTo(263);
                });
        assertThat(run("queue", "list").lines()).isEmpty();
    }

    @Test
    void cancelRefusesARowThatIsNotQueuedAndOneThatDoesNotExist() throws IOException {
        start();
        Gateway.Response direct = gw.postJson("/api/v2/MakeInstagram.php",
                gw.sendJson("\"dest\":\"" + PEER + "\",\"mdata\":\"direct\""));
        long failed = direct.ret().path("cdls_id").asLong();

        Run notQueued = run("queue", "cancel", Long.toString(failed));
        Run missing = run("queue", "cancel", "424242");

        assertThat(notQueued.code()).isEqualTo(1);
        assertThat(notQueued.err()).contains("message " + failed + " is not queued (its state is failed)");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("message 424242 does not exist");
        assertThat(gw.stores().log().find(failed).orElseThrow().error().orElseThrow().statusCode()).isEqualTo(503);
    }

    record Run(int code, String out, String err) {
        List<JsonNode> lines() {
            assertThat(code).as(err).isZero();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    try {
                        lines.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            return lines;
        }

        JsonNode single() {
            List<JsonNode> lines = lines();
            assertThat(lines).hasSize(1);
            return lines.get(0);
        }
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, gw.env(), o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
