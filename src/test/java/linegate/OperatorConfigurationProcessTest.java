package linegate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.testing.Postgres;
import linegate.testing.Processes;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuration as an operator meets it, through real processes on the shipped logback.xml: misspelt variables, a
 * bad log level, a database URL with a password in it, the start-up summary, the --env-file, the JSON log, and a node
 * whose master key opens none of the stored tokens.
 */
class OperatorConfigurationProcessTest {
    private static final String PASSWORD = "S3cretPw-do-not-echo";
    private static final String OTHER_KEY = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aMisspeltVariableIsWarnedAboutAtStartAndTheSummaryLineHoldsNoSecret() throws Exception {
        int port = Processes.freePort();
        Map<String, String> env = sqlite("node");
        env.putAll(Map.of("LINEGATE_PORT", Integer.toString(port), "LINEGATE_GRAPH_TIMEOUT", "5000",
                "LINEGATE_APP_SECRET", "app-secret-value-1", "LINEGATE_VERIFY_TOKEN", "verify-token-value-2",
                "LINEGATE_DB_PASSWORD", "db-password-value-3"));
        Path log = tmp.resolve("serve.log");
        Process server = start(env, log, "serve");
        Processes.awaitHealthy(http, port, Duration.ofSeconds(30), server::isAlive, "see " + log);

        String text = Files.readString(log);
        assertThat(text).contains("WARN", "LINEGATE_GRAPH_TIMEOUT is not a Linegate variable and is ignored: did you"
                + " mean LINEGATE_GRAPH_TIMEOUT_MS?");
        assertThat(text.lines().filter(l -> l.contains("INFO") && l.contains("configuration: database sqlite ")))
                .singleElement().asString()
                .contains("Graph https://graph.facebook.com/v25.0", "listening on 0.0.0.0:" + port, "app secret set",
                        "verify token set");
        assertThat(text).doesNotContain("app-secret-value-1", "verify-token-value-2", "db-password-value-3",
                TestDb.MASTER_KEY);
    }

    @Test
    void aBadLogLevelStopsStartUpWithOneLine() throws Exception {
        Map<String, String> env = sqlite("level");
        env.put("LINEGATE_LOG_LEVEL", "verbose");
        Path log = tmp.resolve("level.log");

        assertThat(exitCode(start(env, log, "serve"))).isEqualTo(1);
        assertThat(Files.readAllLines(log)).containsExactly("linegate: LINEGATE_LOG_LEVEL must be one of trace, debug,"
                + " info, warn, error, got 'verbose' (default info)");
    }

    /** The level from an env file, which logback.xml cannot see: applied once the configuration is read. */
    @Test
    void theLogLevelOfAnEnvFileIsApplied() throws Exception {
        int port = Processes.freePort();
        Path envFile = tmp.resolve("warn.env");
        Files.writeString(envFile, "LINEGATE_LOG_LEVEL=warn\nLINEGATE_PORT=" + port + "\nLINEGATE_VERIFY_TOKN=x\n");
        Path log = tmp.resolve("warn.log");
        Process server = start(sqlite("warn"), log, "--env-file", envFile.toString(), "serve");
        Processes.awaitHealthy(http, port, Duration.ofSeconds(30), server::isAlive, "see " + log);
        server.destroy();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();

        String text = Files.readString(log);
        assertThat(text).contains("WARN", "LINEGATE_VERIFY_TOKN is not a Linegate variable and is ignored: did you mean"
                + " LINEGATE_VERIFY_TOKEN?");
        assertThat(text.lines()).noneMatch(l -> l.contains(" INFO "));
    }

    /** Each way a PostgreSQL password can sit in the configuration, with a database that cannot be used. */
    @Test
    void noDatabaseErrorEchoesThePassword() throws Exception {
        int pg = Postgres.port();
        List<Map<String, String>> attempts = List.of(
                Map.of("LINEGATE_DB_URL", "postgres://bob:" + PASSWORD + "@127.0.0.1:" + pg + "/postgres"),
                Map.of("LINEGATE_DB_URL", "jdbc:postgresql://bob:" + PASSWORD + "@127.0.0.1:" + pg + "/postgres"),
                Map.of("LINEGATE_DB_URL", "jdbc:postgresql://127.0.0.1:1/postgres?user=bob&password=" + PASSWORD),
                Map.of("LINEGATE_DB_URL", "jdbc:postgresql://127.0.0.1:notaport/postgres?password=" + PASSWORD),
                Map.of("LINEGATE_DB_URL", "jdbc:postgresql://127.0.0.1:" + pg + "/no_such_db?password=" + PASSWORD),
                Map.of("LINEGATE_DB_URL", "jdbc:postgresql://127.0.0.1:" + pg + "/no_such_db",
                        "LINEGATE_DB_PASSWORD", PASSWORD));
        List<Process> started = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            Map<String, String> env = new HashMap<>(attempts.get(i));
            env.put("LINEGATE_MASTER_KEY", TestDb.MASTER_KEY);
            env.put("LINEGATE_PORT", "0");
            // serve, and a command, alternately: both open the database the same way
            String[] command = i % 2 == 0 ? new String[] {"serve"} : new String[] {"account", "create", "--name", "A"};
            started.add(start(env, tmp.resolve("pw-" + i + ".log"), command));
        }
        for (int i = 0; i < attempts.size(); i++) {
            assertThat(exitCode(started.get(i))).as("attempt " + i).isEqualTo(1);
            String output = Files.readString(tmp.resolve("pw-" + i + ".log"));
            assertThat(output).as("attempt " + i).contains("linegate: ").doesNotContain(PASSWORD);
        }
    }

    @Test
    void theEnvFileWinsOverTheEnvironmentAndTheJsonLogCarriesTheRequestId() throws Exception {
        int port = Processes.freePort();
        Path envFile = tmp.resolve("linegate.env");
        Files.writeString(envFile, "# a node's settings\n"
                + "LINEGATE_DB_URL=jdbc:sqlite:" + tmp.resolve("file-db/linegate.db") + "\n"
                + "LINEGATE_MASTER_KEY=\"" + TestDb.MASTER_KEY + "\"\n"
                + "LINEGATE_PORT=" + port + "\n"
                + "LINEGATE_LOG_FORMAT=json\n");
        Map<String, String> stale = Map.of("LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve("stale/linegate.db"));

        Path created = tmp.resolve("create.log");
        assertThat(exitCode(start(stale, created, "--env-file", envFile.toString(), "account", "create", "--name", "A")))
                .isZero();
        assertThat(Files.readString(created)).contains("{\"id\":1}",
                "linegate: wrote to sqlite " + tmp.resolve("file-db/linegate.db"));
        assertThat(tmp.resolve("stale")).doesNotExist();

        Path log = tmp.resolve("json.log");
        Process server = start(stale, log, "serve", "--env-file", envFile.toString());
        Processes.awaitHealthy(http, port, Duration.ofSeconds(30), server::isAlive, "see " + log);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v2/MakeInstagram.php")).header("X-Request-Id", "crm-req-42")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tsid\":\"lgt_unknown\",\"app_id\":1,\"dest\":\"1\","
                        + "\"mdata\":\"hi\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.headers().firstValue("X-Request-Id")).contains("crm-req-42");
        server.destroy();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            events.add(JSON.readTree(line)); // every line is one JSON object
        }
        assertThat(events).anySatisfy(e -> assertThat(e.path("formattedMessage").asText())
                .contains("is set in the environment and in --env-file"));
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("formattedMessage").asText()).startsWith("send ").contains("status_code=101");
            assertThat(e.path("mdc").path("request_id").asText()).isEqualTo("crm-req-42");
        });
    }

    /**
     * The embedded database's key file lost (or a node started with another LINEGATE_MASTER_KEY): a new key would open
     * none of the stored tokens, so the node refuses to start, names the key id it needs, and starts once that key is
     * back.
     */
    @Test
    void aNodeWhoseKeyOpensNoStoredTokenRefusesToStartUntilTheRightKeyIsBack() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve("data/linegate.db")));
        Path setup = tmp.resolve("setup.log");
        assertThat(exitCode(start(env, setup, "account", "create", "--name", "A"))).isZero();
        assertThat(exitCode(start(env, setup, "line", "create", "--account", "1", "--class", "instagram",
                "--page-token", "EAAGkeyCheckToken0123456789", "--ig-account-id", "17841405793187218"))).isZero();
        Path keyFile = tmp.resolve("data/master.key");
        Path backup = Files.move(keyFile, tmp.resolve("master.key.backup"));

        int port = Processes.freePort();
        env.put("LINEGATE_PORT", Integer.toString(port));
        Path refused = tmp.resolve("refused.log");
        assertThat(exitCode(start(env, refused, "serve"))).isEqualTo(1);
        List<String> lines = Files.readAllLines(refused);
        assertThat(lines).singleElement().asString()
                .startsWith("linegate: the master key (the key file " + keyFile + " (generated there when it is missing;")
                .contains("opens none of the 1 page access tokens", "sealed under key id " + keyId(backup),
                        "start this node with that key", "Do not set the tokens again under this key")
                .doesNotContain("EAAGkeyCheckToken");

        Files.move(backup, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path served = tmp.resolve("served.log");
        Process server = start(env, served, "serve");
        Processes.awaitHealthy(http, port, Duration.ofSeconds(30), server::isAlive, "see " + served);
    }

    @Test
    void anotherMasterKeyOnTheSameDatabaseIsRefusedToo() throws Exception {
        Map<String, String> env = sqlite("keys");
        Path setup = tmp.resolve("keys-setup.log");
        assertThat(exitCode(start(env, setup, "account", "create", "--name", "A"))).isZero();
        assertThat(exitCode(start(env, setup, "line", "create", "--account", "1", "--class", "messenger",
                "--page-token", "EAAGotherKeyToken", "--page-id", "1234567890"))).isZero();
        env.put("LINEGATE_MASTER_KEY", OTHER_KEY);
        Path refused = tmp.resolve("keys-refused.log");

        assertThat(exitCode(start(env, refused, "serve"))).isEqualTo(1);
        assertThat(Files.readString(refused)).startsWith("linegate: the master key (LINEGATE_MASTER_KEY, key id ")
                .contains("sealed under key id " + keyId(TestDb.MASTER_KEY));
    }

    private static String keyId(Path keyFile) throws IOException {
        return keyId(Files.readString(keyFile).strip());
    }

    /** The first 8 hex digits of SHA-256 of the key's bytes, as the refusal tells the operator to compute it. */
    private static String keyId(String base64) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(java.util.Base64.getDecoder().decode(base64));
            return java.util.HexFormat.of().formatHex(digest).substring(0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> sqlite(String name) {
        return new HashMap<>(Map.of("LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve(name + "/linegate.db"),
                "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY));
    }

    private static int exitCode(Process p) throws InterruptedException {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the process ended").isTrue();
        return p.exitValue();
    }

    /** The command on the logback.xml operators get (not the tests' logback-test.xml, which the class path has first). */
    private Process start(Map<String, String> env, Path output, String... args) throws IOException {
        Process p = Processes.start(tmp, env, output, List.of("-Dlogback.configurationFile=" + shippedLogback()), args);
        processes.add(p);
        return p;
    }

    private static Path shippedLogback() {
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("logback.xml");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
