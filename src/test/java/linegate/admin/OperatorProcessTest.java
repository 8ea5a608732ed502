package linegate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's commands as separate OS processes ({@code java ... linegate.Main}, as the launcher runs the jar), on
 * the SQLite file of a running server: what the commands change, the server sees at once.
 */
class OperatorProcessTest {
    static final String PAT = "EAAGm0PX4ZCpsBAOperatorProcessTestToken0123456789LMNO";
    static final java.time.Duration REFRESH = java.time.Duration.ofMillis(100);
    static final String IG = "17841400000000001";
    static final String DEST = "1254477777772919";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Gateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    record Result(int code, String out, String err) {
        JsonNode json() {
            assertThat(code).as("exit code; stderr: " + err).isZero();
            assertThat(out.strip().lines()).as("one JSON object").hasSize(1);
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Runs {@code linegate ARGS} in a new JVM with only this environment, feeding {@code stdin}. */
    static Result linegate(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "linegate.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("linegate " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Gateway.Response send(String tsid, long lineId) {
        return gw.postJson("/api/v2/MakeInstagram.php",
                "{\"tsid\":\"" + tsid + "\",\"app_id\":" + lineId + ",\"dest\":\"" + DEST + "\",\"mdata\":\"Hello from the CLI\"}");
    }

    @Test
    void aTokenAndLineMadeWithTheCommandsWorkOnTheRunningServerUntilRevoked() throws Exception {
        Map<String, String> env = Map.of(
                "LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve("data/linegate.db"),
                "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY,
                "LINEGATE_LOOKUP_REFRESH_MS", Long.toString(REFRESH.toMillis()));
        gw = Gateway.start(env);
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        long account = linegate(env, "", "account", "create", "--name", "Acme Dental").json().get("id").asLong();
        JsonNode token = linegate(env, "", "token", "create", "--account", Long.toString(account), "--label", "crm").json();
        String tsid = token.get("tsid").asText();
        long line = linegate(env, PAT + "\n", "line", "create", "--account", Long.toString(account), "--class", "instagram",
                "--page-token", "-", "--ig-account-id", IG).json().get("id").asLong();

        Gateway.Response sent = send(tsid, line);

        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(sent.ret().path("messageId").asText()).isEqualTo("MESSAGE-ID");
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withHeader("Authorization", equalTo("Bearer " + PAT)));
        long cdlsId = sent.ret().path("cdls_id").asLong();

        Result log = linegate(env, "", "log", "list", "--account", Long.toString(account));
        JsonNode row = log.json();
        assertThat(row.get("cdls_id").asLong()).isEqualTo(cdlsId);
        assertThat(row.get("state").asText()).isEqualTo("sent");
        assertThat(row.get("messageId").asText()).isEqualTo("MESSAGE-ID");
        assertThat(row.get("app_id").asLong()).isEqualTo(line);

        JsonNode revoked = linegate(env, "", "token", "revoke", token.get("id").asText()).json();
        assertThat(revoked.get("revoked").asBoolean()).isTrue();
        // the server caches tokens; a change made by another process is certain to be seen after three poll intervals
        Thread.sleep(REFRESH.multipliedBy(3).plusMillis(50));

        Gateway.Response refused = send(tsid, line);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.statusCode()).isEqualTo(101);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
    }

    @Test
    void withoutAMasterKeyTheCommandsAndTheServerShareTheGeneratedKeyFile() throws Exception {
        Path dbFile = tmp.resolve("data/linegate.db");
        Map<String, String> env = Map.of("LINEGATE_DB_URL", "jdbc:sqlite:" + dbFile);
        gw = Gateway.start(env);
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        Path keyFile = dbFile.resolveSibling("master.key");
        String key = Files.readString(keyFile);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

        long account = linegate(env, "", "account", "create", "--name", "Acme").json().get("id").asLong();
        String tsid = linegate(env, "", "token", "create", "--account", Long.toString(account)).json().get("tsid").asText();
        long line = linegate(env, "", "line", "create", "--account", Long.toString(account), "--class", "instagram",
                "--page-token", PAT).json().get("id").asLong();

        Gateway.Response sent = send(tsid, line);

        assertThat(sent.statusCode()).as(sent.raw()).isEqualTo(200);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withHeader("Authorization", equalTo("Bearer " + PAT)));
        assertThat(Files.readString(keyFile)).as("generated once").isEqualTo(key);
    }

    @Test
    void badInputExitsNonZeroWithOneLineOnStderrAndNothingOnStdout() throws Exception {
        Map<String, String> env = Map.of("LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve("linegate.db"),
                "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY);

        Result usage = linegate(env, "", "token", "revoke", "abc");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.out()).isEmpty();
        assertThat(usage.err().strip().lines()).singleElement().asString().startsWith("linegate: ").contains("'abc'");

        Result notFound = linegate(env, "", "token", "create", "--account", "5");
        assertThat(notFound.code()).isEqualTo(1);
        assertThat(notFound.out()).isEmpty();
        assertThat(notFound.err().strip()).isEqualTo("linegate: account 5 does not exist: create one with"
                + " 'linegate account create --name NAME'");

        Result badPort = linegate(Map.of("LINEGATE_PORT", "abc", "LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve("x.db")),
                "", "account", "create", "--name", "Acme");
        assertThat(badPort.code()).isEqualTo(1);
        assertThat(badPort.out()).isEmpty();
        assertThat(badPort.err().strip().lines()).singleElement().asString()
                .startsWith("linegate: LINEGATE_PORT must be a whole number");
        assertThat(tmp.resolve("x.db")).as("nothing was opened").doesNotExist();
    }
}
