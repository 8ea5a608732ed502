package linegate;

import linegate.config.ConfigException;
import linegate.config.ConfigVariables;
import linegate.config.EnvFile;
import linegate.config.LinegateConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One command's configuration, read once, when the first part that needs it asks: the environment with the
 * {@code --env-file} over it, validated; then the log level and format applied, and a warning for each unknown
 * {@code LINEGATE_*} name (even when the configuration is refused: a misspelt name is often why).
 */
final class Configuration {
    private static final Logger LOG = LoggerFactory.getLogger(Configuration.class);
    private final Map<String, String> environment;
    private Optional<Path> envFile = Optional.empty();
    private LinegateConfig config;

    Configuration(Map<String, String> environment) {
        this.environment = environment;
    }

    void envFile(Path file) {
        if (config != null) {
            throw new IllegalStateException("--env-file given after the configuration was read");
        }
        envFile = Optional.of(file);
    }

    synchronized LinegateConfig get() {
        if (config == null) {
            List<String> warnings = new ArrayList<>();
            Map<String, String> env = environment;
            if (envFile.isPresent()) {
                EnvFile file = EnvFile.read(envFile.get());
                warnings.addAll(file.warnings());
                env = file.over(environment, envFile.get(), warnings);
            }
            warnings.addAll(ConfigVariables.unknown(env));
            try {
                config = LinegateConfig.fromEnvironment(env);
            } catch (ConfigException refused) {
                warnings.forEach(LOG::warn);
                throw refused;
            }
            Logging.apply(config.logging());
            warnings.forEach(LOG::warn);
        }
        return config;
    }
}
