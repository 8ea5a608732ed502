package linegate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What this jar was built from: the project version and the git commit, written into {@code linegate/build.properties}
 * by Maven's resource filtering (pom.xml: git-commit-id-maven-plugin, or {@code -Dlinegate.commit=SHA}). A build from a
 * source tarball, with no .git and no commit given, knows no commit: {@link #commit()} is empty and the jar says
 * "commit unknown" rather than a guess.
 */
public record BuildInfo(String version, Optional<String> commit, boolean dirty) {
    static final String RESOURCE = "/linegate/build.properties";
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,40}");
    private static final String UNKNOWN = "unknown";

    public BuildInfo {
        if (version.isBlank()) {
            throw new IllegalArgumentException("version is empty");
        }
        if (commit.isPresent() && !COMMIT.matcher(commit.get()).matches()) {
            throw new IllegalArgumentException("commit is not a hexadecimal git commit id");
        }
    }

    /** The jar's own build.properties; outside a Maven build (an IDE without filtering) the values are unknown. */
    public static BuildInfo ofThisJar() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
        }
        return of(properties);
    }

    /** A value Maven did not know stays in its {@code ${...}} form: it counts as unknown, never as a value. */
    static BuildInfo of(Properties properties) {
        String version = known(properties.getProperty("version")).orElse(UNKNOWN);
        Optional<String> commit = known(properties.getProperty("commit"))
                .filter(c -> COMMIT.matcher(c).matches());
        boolean dirty = commit.isPresent() && known(properties.getProperty("dirty")).map(Boolean::parseBoolean)
                .orElse(false);
        return new BuildInfo(version, commit, dirty);
    }

    private static Optional<String> known(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty() && !v.contains("${"));
    }

    /** The commit as the gauge's tag and the version line show it: the id, "-dirty" when built with local changes. */
    public String commitLabel() {
        return commit.map(c -> dirty ? c + "-dirty" : c).orElse(UNKNOWN);
    }

    /** {@code linegate 0.1.0 (commit 1a2b3c4d5e6f)}, or {@code (commit unknown)} for a build without git metadata. */
    public String versionLine() {
        return "linegate " + version + " (commit " + commitLabel() + ")";
    }

    /**
     * {@code linegate_build_info{version,commit} 1}: which build every node runs, registered at start-up so that a
     * mixed fleet shows in one query (Prometheus' usual info-metric shape: the value is always 1).
     */
    public void register(MeterRegistry registry) {
        Gauge.builder("linegate.build.info", () -> 1)
                .description("The build this node runs: its version and git commit (value always 1)")
                .tag("version", version).tag("commit", commitLabel())
                .register(registry);
    }

    /** picocli's {@code --version}. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {ofThisJar().versionLine()};
        }
    }
}
