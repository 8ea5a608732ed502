package linegate;

import linegate.testing.Gateway;
import linegate.testing.Processes;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code linegate --version} and {@code linegate_build_info}: the version and commit Maven wrote into the build. */
class BuildInfoTest {
    @TempDir
    Path tmp;

    @Test
    void theBuildCarriesThePomsVersionAndTheCheckedOutCommit() throws Exception {
        BuildInfo info = BuildInfo.ofThisJar();

        assertThat(info.version()).isEqualTo(pomVersion());
        Optional<String> head = gitHead();
        if (head.isPresent()) { // a clone: the commit is HEAD's
            assertThat(info.commit()).hasValueSatisfying(c -> assertThat(head.get()).startsWith(c));
        } else { // a source tarball or a linked worktree (pom.xml, profile git-commit): none, rather than a wrong one
            assertThat(info.commit()).isEmpty();
        }
    }

    @Test
    void versionPrintsTheVersionAndCommitInAProcessOfItsOwn() throws Exception {
        Path out = tmp.resolve("out");
        Process p = Processes.start(tmp, Map.of(), out, List.of(), "--version");

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(out).strip()).isEqualTo(BuildInfo.ofThisJar().versionLine())
                .startsWith("linegate " + pomVersion() + " (commit ");
    }

    @Test
    void metricsShowTheBuildAsAnInfoGaugeFromTheStart() {
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp)) {
            BuildInfo info = BuildInfo.ofThisJar();

            assertThat(gw.get("/metrics").raw())
                    .contains("# HELP linegate_build_info The build this node runs")
                    .containsPattern("(?m)^" + Pattern.quote("linegate_build_info{commit=\"" + info.commitLabel()
                            + "\",version=\"" + info.version() + "\"}") + " 1(\\.0)?$");
        }
    }

    @Test
    void valuesMavenDidNotKnowAreUnknownNotPrinted() {
        Properties unfiltered = properties("${project.version}", "${git.commit.id.abbrev}", "${git.dirty}");

        BuildInfo info = BuildInfo.of(unfiltered);

        assertThat(info.commit()).isEmpty();
        assertThat(info.versionLine()).isEqualTo("linegate unknown (commit unknown)");
    }

    @Test
    void aTarballBuildKnowsItsVersionButNoCommit() {
        BuildInfo info = BuildInfo.of(properties("0.3.0", "${git.commit.id.abbrev}", "${git.dirty}"));

        assertThat(info.versionLine()).isEqualTo("linegate 0.3.0 (commit unknown)");
    }

    @Test
    void aBuildWithLocalChangesSaysSo() {
        assertThat(BuildInfo.of(properties("0.3.0", "1a2b3c4d5e6f", "true")).versionLine())
                .isEqualTo("linegate 0.3.0 (commit 1a2b3c4d5e6f-dirty)");
        assertThat(BuildInfo.of(properties("0.3.0", "1a2b3c4d5e6f", "false")).commitLabel()).isEqualTo("1a2b3c4d5e6f");
    }

    @Test
    void aCommitGivenByHandMustBeACommitId() {
        assertThat(BuildInfo.of(properties("0.3.0", "main; rm -rf", "false")).commit()).isEmpty();
        assertThatThrownBy(() -> new BuildInfo("0.3.0", Optional.of("HEAD"), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Properties properties(String version, String commit, String dirty) {
        Properties p = new Properties();
        p.setProperty("version", version);
        p.setProperty("commit", commit);
        p.setProperty("dirty", dirty);
        return p;
    }

    private static String pomVersion() throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())
                .getDocumentElement();
        return project.getElementsByTagName("version").item(0).getTextContent();
    }

    /** HEAD's commit id, when this is a clone (.git a folder, not a worktree's file) and git is installed. */
    private static Optional<String> gitHead() throws InterruptedException {
        if (!Files.isDirectory(Path.of(".git"))) {
            return Optional.empty();
        }
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            return git.waitFor() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException noGit) {
            return Optional.empty();
        }
    }
}
