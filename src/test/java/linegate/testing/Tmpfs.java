package linegate.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a folder for one test: a disk that fills up, or a folder that is read-only even for root
 * (root writes through any mode bits). Needs root and a kernel that lets this process mount; the test is skipped,
 * saying why, where it cannot.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path folder;

    private Tmpfs(Path folder) {
        this.folder = folder;
    }

    /** Mounts a tmpfs of {@code size} (mount's syntax, e.g. {@code 2m}) on {@code folder}, created if missing. */
    public static Tmpfs mount(Path folder, String size) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + folder, e);
        }
        String problem = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", folder.toString());
        Assumptions.assumeTrue(problem == null, () -> "skipped: this test mounts a tmpfs (needs root and a kernel that"
                + " permits mount here), and mount said: " + problem);
        return new Tmpfs(folder);
    }

    public Path folder() {
        return folder;
    }

    /** Remounts it read-only (its files stay as they are). */
    public void readOnly() {
        String problem = run("mount", "-o", "remount,ro", folder.toString());
        if (problem != null) {
            throw new IllegalStateException("cannot remount " + folder + " read-only: " + problem);
        }
    }

    @Override
    public void close() {
        String problem = run("umount", "-l", folder.toString());
        if (problem != null) {
            throw new IllegalStateException("cannot unmount " + folder + ": " + problem);
        }
    }

    /** Runs a command; null when it succeeded, else what it printed (or why it could not run). */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish in 30 s";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
