package linegate.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link QuietLogs}: a log line is not printed as it happens, and is printed when a test of its class fails. */
class QuietLogsTest {
    @Test
    void keepsTheClassesLogsAndPrintsThemOnlyWhenATestFails() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            QuietLogs quiet = new QuietLogs();
            quiet.beforeAll(context("SomeTest", Optional.empty()));
            LoggerFactory.getLogger("linegate.quiet").warn("a refusal the test caused on purpose");

            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();

            quiet.testFailed(context("fails()", Optional.empty()), new AssertionError("boom"));

            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("---- the logs of fails() and of its class before it (1 events) ----")
                    .contains("WARN  [main] linegate.quiet - a refusal the test caused on purpose");
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void printsTheLogsOfAClassWhoseSetUpFailed() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            QuietLogs quiet = new QuietLogs();
            quiet.beforeAll(context("SetUpFails", Optional.empty()));
            LoggerFactory.getLogger("linegate.quiet").error("the database did not start");
            quiet.afterAll(context("SetUpFails", Optional.empty()));
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();

            LoggerFactory.getLogger("linegate.quiet").error("the database did not start");
            quiet.afterAll(context("SetUpFails", Optional.of(new IllegalStateException("no database"))));

            assertThat(err.toString(StandardCharsets.UTF_8)).contains("---- the logs of SetUpFails")
                    .contains("the database did not start");
        } finally {
            System.setErr(original);
        }
    }

    /** The two things QuietLogs asks of a context. */
    private static ExtensionContext context(String displayName, Optional<Throwable> failure) {
        return (ExtensionContext) Proxy.newProxyInstance(QuietLogsTest.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getDisplayName" -> displayName;
                    case "getExecutionException" -> failure;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
