package linegate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/find-jdk.sh, which ./linegate and scripts/test source, run by bash against fake JDKs: folders with a
 * {@code bin/java} and {@code bin/javac} and a {@code release} file, laid out where each system installs them, under
 * {@code LINEGATE_JDK_ROOT}, with a PATH that holds only the shell tools the script uses (no real java).
 */
class FindJdkScriptTest {
    private static final List<String> TOOLS = List.of("bash", "sed", "awk", "head", "cut", "dirname", "readlink",
            "paste", "uname", "cat");

    @TempDir
    Path tmp;
    private Path root;
    private Path home;
    private Path tools;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void isolatedShell() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        home = Files.createDirectories(tmp.resolve("home"));
        tools = Files.createDirectories(tmp.resolve("tools"));
        for (String tool : TOOLS) {
            script(tools.resolve(tool), "exec " + which(tool) + " \"$@\""); // not a link: JUnit warns of each
        }
        env.put("PATH", tools.toString());
        env.put("HOME", home.toString());
        env.put("LINEGATE_JDK_ROOT", root.toString());
    }

    @Test
    void takesJavaHomeWhenItIsNewEnough() throws Exception {
        Path mine = jdk(tmp.resolve("my-jdk-21"), "21.0.5", true);
        jdk(root.resolve("usr/lib/jvm/temurin-25-jdk-amd64"), "25.0.1", true);
        env.put("JAVA_HOME", mine.toString());

        assertThat(source().chosen()).hasValue(mine.toString());
    }

    @Test
    void passesOverAnOldJavaHomeAndDebiansJdk17ForA21InUsrLibJvm() throws Exception {
        env.put("JAVA_HOME", jdk(tmp.resolve("old"), "17.0.13", true).toString());
        jdk(root.resolve("usr/lib/jvm/java-17-openjdk-amd64"), "17.0.13", true);
        Path temurin = jdk(root.resolve("usr/lib/jvm/temurin-21-jdk-amd64"), "21.0.5", true);

        assertThat(source().chosen()).hasValue(temurin.toString());
    }

    @Test
    void takesTheJavacOnPathBeforeTheUsualPlaces() throws Exception {
        Path onPath = jdk(tmp.resolve("jdk-22"), "22.0.2", true);
        jdk(root.resolve("usr/lib/jvm/temurin-21-jdk-amd64"), "21.0.5", true);
        env.put("PATH", onPath.resolve("bin") + ":" + tools);

        assertThat(source().chosen()).hasValue(onPath.toString());
    }

    @Test
    void aJreWithoutJavacDoesNotCount() throws Exception {
        jdk(root.resolve("usr/lib/jvm/a-jre-25"), "25.0.1", false);
        Path jdk = jdk(root.resolve("usr/lib/jvm/b-jdk-21"), "21.0.5", true);

        assertThat(source().chosen()).hasValue(jdk.toString());
    }

    @Test
    void asksTheJvmWhenTheJdkHasNoReleaseFile() throws Exception {
        Path jdk = jdk(root.resolve("opt/jdk-23"), "23", true);
        Files.delete(jdk.resolve("release"));

        assertThat(source().chosen()).hasValue(jdk.toString());
    }

    @Test
    void findsMacOsJdksThroughJavaHomeTool() throws Exception {
        Path jdk = jdk(tmp.resolve("Library/Java/JavaVirtualMachines/temurin-21.jdk/Contents/Home"), "21.0.5", true);
        Path tool = root.resolve("usr/libexec/java_home");
        script(tool, "[ \"$1 $2\" = '-v 21+' ] && echo '" + jdk + "'");

        assertThat(source().chosen()).hasValue(jdk.toString());
    }

    @Test
    void findsSdkmanAndHomebrewJdks() throws Exception {
        Path sdkman = jdk(home.resolve(".sdkman/candidates/java/21.0.5-tem"), "21.0.5", true);
        assertThat(source().chosen()).hasValue(sdkman.toString());

        Files.move(home.resolve(".sdkman"), tmp.resolve("gone"));
        Path brew = jdk(root.resolve("opt/homebrew/opt/openjdk@21/libexec/openjdk.jdk/Contents/Home"), "21.0.5", true);
        assertThat(source().chosen()).hasValue(brew.toString());
    }

    @Test
    void withoutA21SaysWhatItFoundAndWhatDebian12MustInstall() throws Exception {
        jdk(root.resolve("usr/lib/jvm/java-17-openjdk-amd64"), "17.0.13", true);
        osRelease("debian", "12");

        Sourced r = source();

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("found only: " + root + "/usr/lib/jvm/java-17-openjdk-amd64 (17)")
                .contains("temurin-21-jdk").contains("sdk install java 21-tem")
                .doesNotContain("openjdk-21-jdk");
    }

    @Test
    void advisesTheArchivesOwnJdk21OnDebian13AndUbuntu2404() throws Exception {
        osRelease("debian", "13");
        assertThat(source().stderr()).contains("apt-get install openjdk-21-jdk-headless maven");

        osRelease("ubuntu", "24.04");
        assertThat(source().stderr()).contains("apt-get install openjdk-21-jdk-headless maven");
    }

    @Test
    void quietsMavensUnsafeWarningOnJdk24AndNewerOnly() throws Exception {
        Path jdk25 = jdk(tmp.resolve("jdk-25"), "25.0.1", true);
        env.put("JAVA_HOME", jdk25.toString());
        assertThat(source("echo \"MAVEN_OPTS=$MAVEN_OPTS\"").stdout())
                .contains("MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow");

        env.put("JAVA_HOME", jdk(tmp.resolve("jdk-21"), "21.0.5", true).toString());
        assertThat(source("echo \"MAVEN_OPTS=${MAVEN_OPTS:-}\"").stdout()).contains("MAVEN_OPTS=\n");
    }

    record Sourced(int exit, String stdout, String stderr) {
        /** The JAVA_HOME the script exported, when it succeeded. */
        Optional<String> chosen() {
            return exit == 0 ? Optional.of(stdout.strip()) : Optional.empty();
        }
    }

    private Sourced source() throws Exception {
        return source("echo \"$JAVA_HOME\"");
    }

    /** Sources the script as the launcher does (set -euo pipefail), then runs {@code then}. */
    private Sourced source(String then) throws Exception {
        Path script = Path.of("scripts/find-jdk.sh").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(which("bash").toString(), "-c",
                "set -euo pipefail; . '" + script + "'; " + then);
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Sourced(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A fake JDK: {@code bin/java} answers only {@code -XshowSettings} as a JVM would, on stderr. */
    private static Path jdk(Path home, String version, boolean withJavac) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        String feature = version.split("\\.")[0];
        script(home.resolve("bin/java"), "echo '    java.specification.version = " + feature + "' >&2");
        if (withJavac) {
            script(home.resolve("bin/javac"), "exit 0");
        }
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    private void osRelease(String id, String version) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=" + id + "\nVERSION_ID=\"" + version + "\"\n");
    }

    private static void script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path which(String tool) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(tool + " is not installed in /usr/bin or /bin");
    }
}
