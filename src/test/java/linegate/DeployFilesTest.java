package linegate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The deployment files read as their tools read them, since no container engine or systemd runs the tests: the
 * Dockerfile's stages, user, health check and volume, and that every file it copies is in the build context that
 * .dockerignore leaves; compose.yaml as Compose resolves it (anchors merged); the systemd unit through
 * {@code systemd-analyze verify} where it is installed (it exits 0 on unknown keys and bad values, so its output must
 * be empty too), and its settings; the env example's variables against docs/operations.md's table.
 */
class DeployFilesTest {
    @TempDir
    Path tmp;

    @Test
    void dockerfileBuildsOnAJdkAndRunsOnAJreAsANonRootUserWithReadinessAndAVolume() throws IOException {
        List<String> lines = dockerfileInstructions();
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();

        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).matches("FROM maven:3\\.9-eclipse-temurin-(2[1-9]|[3-9][0-9]) AS build");
        assertThat(froms.get(1)).matches("FROM eclipse-temurin:(2[1-9]|[3-9][0-9])-jre");
        List<String> runtime = lines.subList(lines.indexOf(froms.get(1)), lines.size());
        assertThat(runtime).contains("USER linegate:linegate", "VOLUME /data", "CMD [\"serve\"]")
                .anySatisfy(l -> assertThat(l).startsWith("HEALTHCHECK ").contains("/app/healthcheck.sh"))
                .anySatisfy(l -> assertThat(l).isEqualTo("ENTRYPOINT [\"/app/docker-entrypoint.sh\"]"))
                .anySatisfy(l -> assertThat(l).startsWith("ENV LINEGATE_DB_URL=jdbc:sqlite:/data/"));
        assertThat(Files.readString(Path.of("deploy/healthcheck.sh"))).contains("/health/ready");
    }

    @Test
    void everyFileTheDockerfileCopiesIsInTheBuildContext() throws IOException {
        List<String> sources = new ArrayList<>();
        for (String l : dockerfileInstructions()) {
            if (l.startsWith("COPY ") && !l.contains("--from=")) {
                List<String> words = List.of(l.substring(5).trim().split("\\s+"));
                sources.addAll(words.subList(0, words.size() - 1));
            }
        }

        assertThat(sources).contains("pom.xml", "src", "deploy/docker-entrypoint.sh", "deploy/healthcheck.sh");
        for (String source : sources) {
            assertThat(Path.of(source)).as(source).exists();
            assertThat(inBuildContext(source)).as(source + " left in the context by .dockerignore").isTrue();
        }
        assertThat(inBuildContext(".git")).isFalse();
        assertThat(inBuildContext("target/linegate.jar")).isFalse();
        assertThat(inBuildContext("data/master.key")).isFalse();
        assertThat(inBuildContext("deploy/secrets/master_key")).isFalse();
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsTwoNodesOnPostgresEachWaitingForItsHealth() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("compose.yaml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

        assertThat(services).containsOnlyKeys("postgres", "linegate-1", "linegate-2");
        assertThat((Map<String, Object>) services.get("postgres").get("healthcheck")).containsKey("test");
        Set<Object> hostPorts = new java.util.HashSet<>();
        for (String node : List.of("linegate-1", "linegate-2")) {
            Map<String, Object> s = services.get(node);
            Map<String, Object> env = (Map<String, Object>) s.get("environment");
            assertThat(env.get("LINEGATE_DB_URL")).as(node).isEqualTo("jdbc:postgresql://postgres:5432/linegate");
            assertThat(env.get("LINEGATE_MASTER_KEY_FILE")).as(node).isEqualTo("/run/secrets/master_key");
            assertThat((List<Object>) s.get("secrets")).as(node).contains("master_key", "db_password");
            Map<String, Map<String, Object>> dependsOn = (Map<String, Map<String, Object>>) s.get("depends_on");
            assertThat(dependsOn.get("postgres")).as(node).containsEntry("condition", "service_healthy");
            assertThat((List<Object>) ((Map<String, Object>) s.get("healthcheck")).get("test")).as(node)
                    .contains("/app/healthcheck.sh");
            assertThat(s).as(node).containsEntry("stop_grace_period", "90s");
            hostPorts.addAll((List<Object>) s.get("ports"));
        }
        assertThat(hostPorts).hasSize(2);
        assertThat(services.get("linegate-2").get("depends_on").toString()).contains("linegate-1");
        Map<String, Map<String, Object>> secrets = (Map<String, Map<String, Object>>) compose.get("secrets");
        assertThat(secrets.get("master_key").get("file").toString()).startsWith("./deploy/secrets/");
    }

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWord() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not installed");
        // ExecStart's binary must exist for verify: point it at this JVM
        String unit = Files.readString(Path.of("deploy/linegate.service")).replace("ExecStart=/usr/bin/java ",
                "ExecStart=" + Path.of(System.getProperty("java.home"), "bin", "java") + " ");
        Path copy = Files.writeString(tmp.resolve("linegate.service"), unit);
        Process p = new ProcessBuilder("/usr/bin/systemd-analyze", "verify", copy.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEmpty();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void theUnitStopsCleanlyRestartsOnFailureAndIsConfined() throws IOException {
        Map<String, String> service = unitSection("Service");

        assertThat(service).containsEntry("EnvironmentFile", "/etc/linegate/linegate.env")
                .containsEntry("SuccessExitStatus", "143").containsEntry("Restart", "on-failure")
                .containsEntry("NoNewPrivileges", "yes").containsEntry("ProtectSystem", "strict")
                .containsEntry("PrivateTmp", "yes").containsEntry("ProtectHome", "yes")
                .containsEntry("ReadWritePaths", "/var/lib/linegate").containsEntry("User", "linegate")
                .doesNotContainKey("MemoryDenyWriteExecute"); // the JIT writes the code it runs
        assertThat(service.get("ExecStart")).contains("-jar /opt/linegate/linegate.jar serve");
        // the embedded database of the env example lies in the one writable directory
        assertThat(envExample()).containsEntry("LINEGATE_DB_URL", "jdbc:sqlite:/var/lib/linegate/linegate.db");
    }

    @Test
    void theEnvExampleNamesOnlyDocumentedVariables() throws IOException {
        String operations = Files.readString(Path.of("docs/operations.md"));
        List<String> names = new ArrayList<>(envExample().keySet());
        Matcher commented = Pattern.compile("(?m)^#(LINEGATE_[A-Z_]+)=").matcher(Files.readString(envExamplePath()));
        while (commented.find()) {
            names.add(commented.group(1));
        }

        assertThat(names).contains("LINEGATE_MASTER_KEY", "LINEGATE_DB_URL");
        for (String name : names) {
            assertThat(operations).as(name + " in docs/operations.md's Configuration table").contains("`" + name + "`");
        }
    }

    private static Path envExamplePath() {
        return Path.of("deploy/linegate.env.example");
    }

    private static Map<String, String> envExample() throws IOException {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String line : Files.readAllLines(envExamplePath())) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                vars.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return vars;
    }

    private static Map<String, String> unitSection(String section) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        String current = "";
        for (String line : Files.readAllLines(Path.of("deploy/linegate.service"))) {
            if (line.startsWith("[")) {
                current = line.substring(1, line.indexOf(']'));
            } else if (current.equals(section) && !line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                keys.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return keys;
    }

    /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
    private static List<String> dockerfileInstructions() throws IOException {
        String joined = Files.readAllLines(Path.of("Dockerfile")).stream().filter(l -> !l.startsWith("#"))
                .collect(Collectors.joining("\n")).replace("\\\n", " ");
        return joined.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * Whether .dockerignore leaves {@code path} in the build context: its patterns in order, the last match decides,
     * {@code !} keeps (Docker's rules; a kept folder keeps what is in it).
     */
    private static boolean inBuildContext(String path) throws IOException {
        boolean in = true;
        for (String line : Files.readAllLines(Path.of(".dockerignore"))) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean keep = pattern.startsWith("!");
            String glob = (keep ? pattern.substring(1) : pattern).replaceAll("/$", "");
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            PathMatcher under = FileSystems.getDefault().getPathMatcher("glob:" + glob + "/**");
            Path p = Path.of(path);
            if (m.matches(p) || under.matches(p) || (!glob.contains("/") && m.matches(p.getName(0)))) {
                in = keep;
            }
        }
        return in;
    }
}
