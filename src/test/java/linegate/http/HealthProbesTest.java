package linegate.http;

import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.TestDb;
import linegate.testing.Tmpfs;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Liveness and readiness: {@code /health/live} answers while the process serves HTTP; {@code /health/ready} and
 * {@code /health} answer 503 when the database does not accept a write (a full disk), when the message log writer
 * fails, and while the node shuts down; the probe write is cached, so polling health does not load the database.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class HealthProbesTest {
    private static final String SEND = "/api/v2/MakeInstagram.php";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    @Test
    void aHealthyNodeIsLiveAndReady() {
        try (Gateway gw = Gateway.start(db, tmp)) {
            Gateway.Response live = gw.get("/health/live");
            Gateway.Response ready = gw.get("/health/ready");
            Gateway.Response health = gw.get("/health");

            assertThat(live.status()).isEqualTo(200);
            assertThat(live.raw()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.raw()).isEqualTo("{\"status\":\"UP\",\"database\":\"UP\",\"log_writer\":\"UP\",\"stopping\":false}");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.raw()).isEqualTo("{\"status\":\"UP\",\"database\":\"UP\"}");
            long probeRows = gw.stores().db().call(h -> h.createQuery("SELECT COUNT(*) FROM health_probe")
                    .mapTo(Long.class).one());
            assertThat(probeRows).isEqualTo(1);
        }
    }

    @Test
    void pollingHealthWritesTheProbeAtMostOnceASecond() {
        try (Gateway gw = Gateway.start(db, tmp)) {
            countProbeWrites(gw);
            long started = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                assertThat(gw.get(i % 2 == 0 ? "/health" : "/health/ready").status()).isEqualTo(200);
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            long writes = gw.stores().db().call(h -> h.createQuery("SELECT n FROM probe_writes").mapTo(Long.class).one());
            assertThat(writes).isBetween(1L, (long) Math.floor(seconds) + 1);
        }
    }

    @Test
    void whileShuttingDownTheNodeIsLiveButNotReady() throws InterruptedException {
        Gateway gw = Gateway.start(db, tmp, Map.of("LINEGATE_GRAPH_TIMEOUT_MS", "20000"));
        MetaStubs.answersAfter(gw.meta(), Duration.ofSeconds(2), 200, MetaSamples.read("ig-send-success.doc.json"));
        CompletableFuture<Gateway.Response> slowSend = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> slowSend.complete(
                gw.postJson(SEND, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"slow\""))));
        MetaStubs.awaitGraphCalls(gw.meta(), 1);
        Thread closing = Thread.ofPlatform().start(gw::close);

        Gateway.Response ready = Webhooks.await("readiness to say the node is stopping",
                () -> Optional.of(gw.get("/health/ready")).filter(r -> r.status() == 503));
        assertThat(ready.body().path("stopping").asBoolean()).isTrue();
        assertThat(ready.body().path("status").asText()).isEqualTo("DOWN");
        assertThat(gw.get("/health").status()).isEqualTo(503);
        assertThat(gw.get("/health/live").status()).isEqualTo(200);
        assertThat(slowSend.join().statusCode()).isEqualTo(200);
        closing.join(Duration.ofSeconds(30));
    }

    @Test
    void aFullDiskMakesTheNodeNotReadyButLiveAndItRecovers() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(db == TestDb.SQLITE, "a full disk is the embedded database's case");
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("disk"), "2m");
             Gateway gw = Gateway.start(Map.of("LINEGATE_DB_URL", "jdbc:sqlite:" + disk.folder().resolve("linegate.db"),
                     "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY))) {
            gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
            assertThat(gw.postJson(SEND, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"before\"")).statusCode())
                    .isEqualTo(200);
            assertThat(gw.get("/health/ready").status()).isEqualTo(200);

            Path filler = fill(disk.folder().resolve("filler"));
            Gateway.Response send = gw.postJson(SEND, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"full\""));
            assertThat(send.statusCode()).as(send.raw()).isEqualTo(503);
            assertThat(send.ret().path("status_code").asInt()).as(send.raw()).isEqualTo(503);

            Gateway.Response ready = Webhooks.await("readiness to notice the full disk",
                    () -> Optional.of(gw.get("/health/ready")).filter(r -> r.status() == 503));
            assertThat(ready.body().path("status").asText()).isEqualTo("DOWN");
            assertThat(ready.body().path("log_writer").asText()).isEqualTo("DOWN");
            Gateway.Response health = gw.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.raw()).isEqualTo("{\"status\":\"DOWN\",\"database\":\"DOWN\"}");
            assertThat(gw.get("/health/live").status()).isEqualTo(200);
            Webhooks.await("the probe write itself to fail on the full disk",
                    () -> Optional.of(gw.get("/health/ready")).filter(r -> r.body().path("database").asText().equals("DOWN")));

            Files.delete(filler);
            Webhooks.await("readiness to come back once the disk has room",
                    () -> Optional.of(gw.get("/health/ready")).filter(r -> r.status() == 200));
            assertThat(gw.get("/health").status()).isEqualTo(200);
            assertThat(gw.postJson(SEND, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"after\"")).statusCode())
                    .isEqualTo(200);
        }
    }

    /** Writes {@code file} until the disk has no room left. */
    private static Path fill(Path file) {
        byte[] block = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left");
        }
        return file;
    }

    /** Counts inserts and updates of health_probe in probe_writes(n), by trigger. */
    private void countProbeWrites(Gateway gw) {
        gw.stores().db().call(h -> {
            h.execute("CREATE TABLE probe_writes (n BIGINT NOT NULL)");
            h.execute("INSERT INTO probe_writes (n) VALUES (0)");
            if (db == TestDb.SQLITE) {
                h.execute("CREATE TRIGGER probe_inserted AFTER INSERT ON health_probe BEGIN UPDATE probe_writes SET n = n + 1; END");
                h.execute("CREATE TRIGGER probe_updated AFTER UPDATE ON health_probe BEGIN UPDATE probe_writes SET n = n + 1; END");
            } else {
                h.execute("CREATE FUNCTION count_probe() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " UPDATE probe_writes SET n = n + 1; RETURN NULL; END; $$");
                h.execute("CREATE TRIGGER probe_written AFTER INSERT OR UPDATE ON health_probe FOR EACH ROW"
                        + " EXECUTE FUNCTION count_probe()");
            }
            return null;
        });
    }
}
