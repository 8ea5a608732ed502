package linegate.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --env-file FILE} (docs/operations.md, "Configuration"): UTF-8 lines of {@code KEY=VALUE}; blank lines and
 * lines starting with {@code #} are skipped; spaces around the key and the value are dropped, and one pair of matching
 * quotes ({@code "…"} or {@code '…'}) around the value, with nothing inside them interpreted (no escapes, no {@code $}
 * expansion): what systemd's {@code EnvironmentFile=} and Compose's {@code env_file} read alike. A variable set in the
 * file wins over the same variable in the environment (the file is what the command was told to use; a stale
 * {@code export} in a shell should not pick another database), with a warning naming it. Messages name the file and
 * the line, never a value.
 */
public record EnvFile(Map<String, String> variables, List<String> warnings) {
    private static final Pattern LINE = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=(.*)");

    public static EnvFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException("--env-file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException("cannot read --env-file " + file + " (" + e.getClass().getSimpleName()
                    + "): give a readable file of KEY=VALUE lines");
        }
        Map<String, String> variables = new LinkedHashMap<>();
        Map<String, Integer> firstSeen = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int number = i + 1;
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new ConfigException("--env-file " + file + " line " + number + " is not KEY=VALUE (nor blank,"
                        + " nor a # comment)");
            }
            String key = m.group(1);
            Integer earlier = firstSeen.putIfAbsent(key, number);
            if (earlier != null) {
                throw new ConfigException("--env-file " + file + " sets " + key + " twice, on lines " + earlier + " and "
                        + number + ": keep one");
            }
            if (!key.startsWith("LINEGATE_")) {
                warnings.add("--env-file " + file + " line " + number + ": " + key + " is not a LINEGATE_ variable and"
                        + " is ignored");
                continue;
            }
            if (ConfigVariables.LAUNCHER.contains(key)) {
                warnings.add("--env-file " + file + " line " + number + ": " + key + " is read by the launcher from the"
                        + " environment before Java starts, so it is ignored here");
                continue;
            }
            variables.put(key, unquote(m.group(2).strip()));
        }
        return new EnvFile(Map.copyOf(variables), List.copyOf(warnings));
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /**
     * The environment with this file's variables over it, and a warning for each variable whose value the file
     * changed (its name only).
     */
    public Map<String, String> over(Map<String, String> environment, Path file, List<String> overridden) {
        Map<String, String> merged = new HashMap<>(environment);
        variables.forEach((key, value) -> {
            String before = merged.put(key, value);
            if (before != null && !before.equals(value)) {
                overridden.add(key + " is set in the environment and in --env-file " + file + "; the file's value is"
                        + " used");
            }
        });
        return merged;
    }
}
