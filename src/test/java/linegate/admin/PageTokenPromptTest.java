package linegate.admin;

import linegate.store.Line;
import linegate.store.Stores;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code line create --page-token -} on a terminal: the command runs in its own JVM on a real pseudo-terminal (Python's
 * {@code pty}, as a shell would give it), prompts, and reads the pasted token without echo, so the token never appears
 * on the screen (or in a terminal's scrollback). Piped standard input keeps working as before (OperatorCommandsTest).
 */
class PageTokenPromptTest {
    static final String PAT = "EAAGm0PX4ZCpsBAPromptTestPageToken0123456789QRSTUVWXYZ";

    /** Runs argv on a pty; types the token once the prompt shows (or after 15 s, so a command that never prompts reads it too). */
    private static final String PTY_DRIVER = """
            import os, pty, select, sys, time
            token = os.environ.pop("PROMPT_TEST_TOKEN").encode()
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[1], sys.argv[1:])
            out, typed, start = b"", False, time.time()
            while time.time() - start < 90:
                ready, _, _ = select.select([fd], [], [], 0.2)
                if not typed and (b"Page access token" in out or time.time() - start > 15):
                    time.sleep(0.3)
                    os.write(fd, token + b"\\n")
                    typed = True
                if fd in ready:
                    try:
                        chunk = os.read(fd, 4096)
                    except OSError:
                        break
                    if not chunk:
                        break
                    out += chunk
            os.waitpid(pid, 0)
            sys.stdout.buffer.write(out)
            """;

    @TempDir
    Path tmp;

    @Test
    void aTokenTypedAtTheTerminalIsReadWithoutEcho() throws Exception {
        assumeTrue(python3(), "python3 with its pty module runs the command on a terminal");
        String dbUrl = "jdbc:sqlite:" + tmp.resolve("data/linegate.db");
        long account;
        try (Stores stores = open(dbUrl)) {
            account = stores.accounts().create("Acme Dental");
        }
        Path driver = Files.writeString(tmp.resolve("pty_driver.py"), PTY_DRIVER);
        List<String> command = new ArrayList<>(List.of("python3", driver.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "linegate.Main",
                "line", "create", "--account", Long.toString(account), "--class", "instagram", "--page-token", "-",
                "--ig-account-id", "17841400000000009"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        pb.environment().put("LINEGATE_DB_URL", dbUrl);
        pb.environment().put("LINEGATE_MASTER_KEY", TestDb.MASTER_KEY);
        pb.environment().put("PROMPT_TEST_TOKEN", PAT);
        Process p = pb.start();
        p.getOutputStream().close();
        String screen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(screen).as("what the terminal showed").doesNotContain(PAT).contains("Page access token")
                .containsPattern("\\{\"id\":[0-9]+}");
        try (Stores stores = open(dbUrl)) {
            Line line = stores.lines().findActiveByIgAccountId("17841400000000009").orElseThrow();
            assertThat(line.pageToken().orElseThrow().reveal()).isEqualTo(PAT);
        }
    }

    private static Stores open(String dbUrl) {
        return Stores.open(dbUrl, "", "", Base64.getDecoder().decode(TestDb.MASTER_KEY), Clock.systemUTC());
    }

    private static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import pty, select").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
