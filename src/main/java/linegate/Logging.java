package linegate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import linegate.config.LinegateConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/**
 * Applies {@code LINEGATE_LOG_LEVEL} and {@code LINEGATE_LOG_FORMAT} to logback once the configuration is read (an
 * {@code --env-file} is not in the environment that logback.xml sees, so they cannot be left to its substitution).
 * JSON is logback's own {@link JsonEncoder}: one object per line with {@code timestamp}, {@code level},
 * {@code threadName}, {@code loggerName}, {@code mdc} (with {@code request_id}), {@code formattedMessage} and
 * {@code throwable}.
 */
final class Logging {
    private Logging() {
    }

    static void apply(LinegateConfig.LoggingConfig logging) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: its own configuration decides
        }
        context.getLogger("linegate").setLevel(Level.toLevel(logging.level()));
        if (logging.format() == LinegateConfig.LoggingConfig.Format.JSON) {
            Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
            while (appenders.hasNext()) {
                if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> out
                        && !(out.getEncoder() instanceof JsonEncoder)) {
                    JsonEncoder json = new JsonEncoder();
                    json.setContext(context);
                    // the message as written ("formattedMessage"), not its {} pattern and arguments; no per-line
                    // copy of logback's context
                    json.setWithFormattedMessage(true);
                    json.setWithMessage(false);
                    json.setWithArguments(false);
                    json.setWithContext(false);
                    json.setWithSequenceNumber(false);
                    json.start();
                    out.setEncoder(json);
                }
            }
        }
    }
}
