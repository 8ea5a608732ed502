import linegate.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets up bench/queue.sh's lines through Linegate's own commands (Main.run, what `linegate ...` runs), in one JVM: a
 * JVM start a command would take minutes for 200 lines on two cores. Each line has an account, a token and an
 * Instagram line of its own with the page token EAAGq + its number (so the stub tells the lines apart) and the budget.
 * Writes "TSID APP_ID" a line to OUT_FILE. The database comes from LINEGATE_DB_URL, as for the commands.
 * Usage: java -cp target/linegate.jar bench/QueueSetup.java FIRST COUNT SENDS_PER_SECOND|default OUT_FILE
 */
public class QueueSetup {
    public static void main(String[] args) throws Exception {
        int first = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        String budget = args[2];
        List<String> out = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            String account = number(run("account", "create", "--name", "q" + i), "id");
            String tsid = string(run("token", "create", "--account", account), "tsid");
            List<String> line = new ArrayList<>(List.of("line", "create", "--account", account, "--class", "instagram",
                    "--page-token", "EAAGq" + i, "--ig-account-id", Long.toString(17841410000000000L + i)));
            if (!budget.equals("default")) {
                line.addAll(List.of("--sends-per-second", budget));
            }
            out.add(tsid + " " + number(run(line.toArray(String[]::new)), "id"));
        }
        Files.write(Path.of(args[3]), out);
    }

    static String run(String... command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(command, System.getenv(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": exit " + code + ": " + err);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String number(String json, String field) {
        return match(json, "\"" + field + "\"\\s*:\\s*(\\d+)");
    }

    static String string(String json, String field) {
        return match(json, "\"" + field + "\"\\s*:\\s*\"([^\"]+)\"");
    }

    static String match(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("unexpected answer: " + json);
        }
        return m.group(1);
    }
}
