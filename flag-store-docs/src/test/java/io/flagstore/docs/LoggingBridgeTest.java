package io.flagstore.docs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.flagstore.core.FlagClient;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What docs/client.md, "Logging", promises: with {@code slf4j-jdk-platform-logging} on the class
 * path, flag-store's {@code System.Logger} events arrive in SLF4J (here Logback) under the
 * {@code io.flagstore} loggers.
 */
class LoggingBridgeTest {

    @Test
    void flagStoresEventsReachLogback() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.flagstore");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        FlagSource silent = new FlagSource() {
            @Override
            public void start(FlagSink sink) {}

            @Override
            public void close() {}

            @Override
            public String toString() {
                return "a silent source";
            }
        };
        try (FlagClient client =
                FlagClient.builder().source(silent).startTimeout(Duration.ZERO).build()) {
            assertThat(appender.list).as("events logged under io.flagstore").anySatisfy(event -> {
                assertThat(event.getLoggerName()).isEqualTo(FlagClient.class.getName());
                assertThat(event.getLevel()).hasToString("WARN");
                assertThat(event.getFormattedMessage()).contains("a silent source delivered no flags");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }
}
