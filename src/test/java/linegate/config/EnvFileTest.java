package linegate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The --env-file format (docs/operations.md, "Configuration"). */
class EnvFileTest {
    @TempDir
    Path tmp;

    private Path file(String text) throws IOException {
        return Files.writeString(tmp.resolve("linegate.env"), text);
    }

    @Test
    void keyValueLinesCommentsBlankLinesAndOnePairOfQuotes() throws IOException {
        EnvFile f = EnvFile.read(file("""
                # the node's settings
                LINEGATE_PORT=9000

                  LINEGATE_DB_USER = linegate \s
                LINEGATE_DB_PASSWORD="pa ss#word=1"
                LINEGATE_VERIFY_TOKEN='$HOME'
                LINEGATE_APP_SECRET="unbalanced
                """));

        assertThat(f.variables()).isEqualTo(Map.of("LINEGATE_PORT", "9000", "LINEGATE_DB_USER", "linegate",
                "LINEGATE_DB_PASSWORD", "pa ss#word=1", "LINEGATE_VERIFY_TOKEN", "$HOME",
                "LINEGATE_APP_SECRET", "\"unbalanced"));
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void theFileWinsOverTheEnvironmentAndSaysSoByNameOnly() throws IOException {
        Path path = file("LINEGATE_DB_URL=jdbc:sqlite:/srv/a.db\nLINEGATE_PORT=8080\n");
        List<String> warnings = new ArrayList<>();

        Map<String, String> merged = EnvFile.read(path).over(Map.of("LINEGATE_DB_URL", "jdbc:sqlite:/tmp/stale.db",
                "LINEGATE_PORT", "8080", "LINEGATE_LOG_LEVEL", "debug"), path, warnings);

        assertThat(merged).containsEntry("LINEGATE_DB_URL", "jdbc:sqlite:/srv/a.db").containsEntry("LINEGATE_PORT", "8080")
                .containsEntry("LINEGATE_LOG_LEVEL", "debug");
        assertThat(warnings).containsExactly("LINEGATE_DB_URL is set in the environment and in --env-file " + path
                + "; the file's value is used");
    }

    @Test
    void aBadLineIsNamedByItsNumberWithoutItsText() throws IOException {
        Path path = file("LINEGATE_PORT=1\nexport LINEGATE_DB_PASSWORD=hunter22\n");

        assertThatThrownBy(() -> EnvFile.read(path)).isInstanceOf(ConfigException.class)
                .hasMessage("--env-file " + path + " line 2 is not KEY=VALUE (nor blank, nor a # comment)");
    }

    @Test
    void aVariableSetTwiceIsRefusedAndOtherNamesAreWarnedAbout() throws IOException {
        Path twice = file("LINEGATE_PORT=1\nLINEGATE_PORT=2\n");
        assertThatThrownBy(() -> EnvFile.read(twice))
                .hasMessage("--env-file " + twice + " sets LINEGATE_PORT twice, on lines 1 and 2: keep one");

        EnvFile other = EnvFile.read(file("JAVA_HOME=/jdk\nLINEGATE_JAVA_OPTS=-Xmx1g\n"));
        assertThat(other.variables()).isEmpty();
        assertThat(other.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains("is ignored"));
    }

    @Test
    void aMissingFileSaysWhich() {
        Path missing = tmp.resolve("nope.env");
        assertThatThrownBy(() -> EnvFile.read(missing))
                .hasMessage("cannot read --env-file " + missing + " (NoSuchFileException): give a readable file of"
                        + " KEY=VALUE lines");
    }
}
