package linegate.docs;

import linegate.config.ConfigVariables;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operations.md's configuration table names exactly the variables Linegate knows (config.ConfigVariables, the
 * list the configuration reads and the unknown-variable warning checks against), so neither can drift.
 */
class ConfigurationDocsTest {
    private static final Pattern NAME = Pattern.compile("LINEGATE_[A-Z0-9_]+");

    @Test
    void theConfigurationTableNamesEveryKnownVariableAndNoOther() throws IOException {
        String doc = Files.readString(Path.of("docs/operations.md"));
        String section = doc.substring(doc.indexOf("## Configuration"), doc.indexOf("\n## ", doc.indexOf("## Configuration") + 1));
        Set<String> documented = new TreeSet<>();
        section.lines().filter(l -> l.startsWith("| `LINEGATE_")).forEach(row -> {
            Matcher m = NAME.matcher(row.split("\\|")[1]);
            while (m.find()) {
                documented.add(m.group());
            }
        });

        assertThat(documented).containsExactlyElementsOf(ConfigVariables.all());
    }
}
