package linegate.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Every test class's log lines are kept instead of printed, and printed only when one of its tests fails (or its
 * set-up does): a passing run shows Maven's lines, not the warnings and stack traces of the failures that tests cause
 * on purpose (a database killed mid-send, Meta's refusals, malformed requests). Registered for every test by
 * JUnit's extension autodetection (src/test/resources/junit-platform.properties and META-INF/services).
 * {@code -Dlinegate.test.logs=console} prints everything as it happens instead.
 * <p>
 * The console appender of logback-test.xml ({@code STDERR}) is detached from the root logger for the whole run and a
 * buffer takes its place; appenders that tests attach themselves (SecretsStayOutOfLogsTest's) still get every event.
 * The buffer is the class's since its first test began, bounded to the last {@value #MAX_LINES} events.
 */
public final class QuietLogs implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    static final int MAX_LINES = 20_000;
    private static final Buffer BUFFER = install();

    @Override
    public void beforeAll(ExtensionContext context) {
        if (BUFFER != null) {
            BUFFER.clear();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        print("the logs of " + context.getDisplayName() + " and of its class before it");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) { // a @BeforeAll or @AfterAll failed: no test reported it
            print("the logs of " + context.getDisplayName());
        }
    }

    private static void print(String what) {
        if (BUFFER == null) {
            return;
        }
        List<String> lines = BUFFER.drain();
        StringBuilder out = new StringBuilder("---- " + what + " (" + lines.size() + " events) ----\n");
        lines.forEach(out::append);
        out.append("---- end of ").append(what).append(" ----\n");
        System.err.print(out);
        System.err.flush();
    }

    private static Buffer install() {
        if ("console".equals(System.getProperty("linegate.test.logs"))
                || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext logback)) {
            return null;
        }
        Logger root = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> console = root.getAppender("STDERR");
        if (console == null) {
            return null;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(logback);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n");
        encoder.start();
        Buffer buffer = new Buffer(encoder);
        buffer.setContext(logback);
        buffer.setName("QUIET_LOGS");
        buffer.start();
        root.addAppender(buffer);
        root.detachAppender(console);
        return buffer;
    }

    /** The formatted events (stack traces included), oldest dropped beyond {@link #MAX_LINES}. */
    private static final class Buffer extends AppenderBase<ILoggingEvent> {
        private final PatternLayoutEncoder encoder;
        private final ArrayDeque<String> lines = new ArrayDeque<>();

        Buffer(PatternLayoutEncoder encoder) {
            this.encoder = encoder;
        }

        @Override
        protected void append(ILoggingEvent event) {
            // as logback's console appender does: the event's MDC, thread name and message are fixed now, so that
            // appenders a test attached itself read them later as they were when the line was logged
            event.prepareForDeferredProcessing();
            String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
            synchronized (lines) {
                if (lines.size() == MAX_LINES) {
                    lines.removeFirst();
                }
                lines.addLast(line);
            }
        }

        void clear() {
            synchronized (lines) {
                lines.clear();
            }
        }

        List<String> drain() {
            synchronized (lines) {
                List<String> all = new ArrayList<>(lines);
                lines.clear();
                return all;
            }
        }
    }
}
