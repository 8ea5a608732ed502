package linegate.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The one list of LINEGATE_* names: the configuration reads exactly it, and unknown names are warned about. */
class ConfigVariablesTest {
    @Test
    void theConfigurationReadsEveryDeclaredVariableAndNoOther() {
        Set<String> asked = new HashSet<>();
        Map<String, String> recording = new HashMap<>() {
            @Override
            public String get(Object key) {
                asked.add((String) key);
                return super.get(key);
            }
        };

        LinegateConfig.fromEnvironment(recording);

        assertThat(asked).containsExactlyInAnyOrderElementsOf(ConfigVariables.READ);
    }

    @Test
    void aMisspeltVariableIsWarnedAboutWithTheNameItWasMeantToBe() {
        assertThat(ConfigVariables.unknown(Map.of("LINEGATE_DATABASE_URL", "jdbc:postgresql://db/lg")))
                .containsExactly("LINEGATE_DATABASE_URL is not a Linegate variable and is ignored: did you mean"
                        + " LINEGATE_DB_URL?");
        assertThat(ConfigVariables.nearest("LINEGATE_PROT")).contains("LINEGATE_PORT");
        assertThat(ConfigVariables.nearest("LINEGATE_LOGLEVEL")).contains("LINEGATE_LOG_LEVEL");
        assertThat(ConfigVariables.nearest("LINEGATE_MASTERKEY")).contains("LINEGATE_MASTER_KEY");
        assertThat(ConfigVariables.nearest("LINEGATE_DB_PASS")).contains("LINEGATE_DB_PASSWORD");
        assertThat(ConfigVariables.nearest("LINEGATE_APPSECRET")).contains("LINEGATE_APP_SECRET");
    }

    @Test
    void aNameNearNothingGetsNoGuessAndTheWarningNeverHoldsTheValue() {
        assertThat(ConfigVariables.unknown(Map.of("LINEGATE_SOMETHING_ELSE_ENTIRELY", "s3cret-value")))
                .singleElement().asString()
                .startsWith("LINEGATE_SOMETHING_ELSE_ENTIRELY is not a Linegate variable and is ignored (")
                .doesNotContain("did you mean").doesNotContain("s3cret-value");
    }

    @Test
    void knownNamesAndOtherProgramsVariablesAreNotWarnedAbout() {
        assertThat(ConfigVariables.unknown(Map.of("LINEGATE_PORT", "1", "LINEGATE_JAVA_OPTS", "-Xmx1g", "PATH", "/bin",
                "JAVA_HOME", "/jdk"))).isEmpty();
    }
}
