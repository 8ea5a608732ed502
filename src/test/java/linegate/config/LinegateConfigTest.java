package linegate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Configuration from environment variables (docs/operations.md, "Configuration"): defaults, overrides, and one-line errors. */
class LinegateConfigTest {
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @TempDir
    Path tmp;

    static Map<String, String> env(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void anEmptyEnvironmentGivesTheDocumentedDefaults() {
        LinegateConfig c = LinegateConfig.fromEnvironment(Map.of());

        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.database().url()).isEqualTo("jdbc:sqlite:./data/linegate.db");
        assertThat(c.database().user()).isEmpty();
        assertThat(c.database().password().value()).isEmpty();
        assertThat(c.database().embedded()).isTrue();
        assertThat(c.graphUrl()).isEqualTo(URI.create("https://graph.facebook.com"));
        assertThat(c.graphVersion()).isEqualTo("v25.0");
        assertThat(c.maxBodyBytes()).isEqualTo(64 * 1024);
        assertThat(c.graphTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.graphMaxInFlight()).isEqualTo(1000);
        assertThat(c.maxConcurrentRequests()).isEqualTo(10_000);
        assertThat(c.requestReadTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.lookupRefresh()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.lineSendsPerSecond()).isEqualTo(100);
        assertThat(c.logBatchSize()).isEqualTo(64);
        assertThat(c.logBatchWait()).isEqualTo(Duration.ZERO);
        assertThat(c.appSecret()).isEmpty();
        assertThat(c.verifyToken()).isEmpty();
    }

    @Test
    void readingTheDefaultsTouchesNoFile() {
        LinegateConfig.fromEnvironment(env("LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve("data/linegate.db")));

        assertThat(tmp.resolve("data")).doesNotExist();
    }

    @Test
    void blankValuesCountAsUnset() {
        LinegateConfig c = LinegateConfig.fromEnvironment(env("LINEGATE_PORT", "", "LINEGATE_GRAPH_VERSION", "  ",
                "LINEGATE_APP_SECRET", " ", "LINEGATE_DB_URL", ""));

        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.graphVersion()).isEqualTo("v25.0");
        assertThat(c.appSecret()).isEmpty();
        assertThat(c.database().url()).isEqualTo(LinegateConfig.DEFAULT_DB_URL);
    }

    @Test
    void everyVariableOverridesItsDefault() {
        LinegateConfig c = LinegateConfig.fromEnvironment(env(
                "LINEGATE_PORT", "9090",
                "LINEGATE_DB_URL", "jdbc:postgresql://db.internal:5432/linegate",
                "LINEGATE_DB_USER", "linegate",
                "LINEGATE_DB_PASSWORD", "pg-secret",
                "LINEGATE_GRAPH_URL", "http://127.0.0.1:8089/",
                "LINEGATE_GRAPH_VERSION", "v24.0",
                "LINEGATE_GRAPH_TIMEOUT_MS", "2500",
                "LINEGATE_GRAPH_MAX_IN_FLIGHT", "250",
                "LINEGATE_MAX_BODY_BYTES", "2048",
                "LINEGATE_MAX_CONCURRENT_REQUESTS", "300",
                "LINEGATE_LOOKUP_REFRESH_MS", "250",
                "LINEGATE_LINE_SENDS_PER_SECOND", "5",
                "LINEGATE_LOG_BATCH_SIZE", "1",
                "LINEGATE_LOG_BATCH_WAIT_MICROS", "250",
                "LINEGATE_APP_SECRET", "app-secret-value",
                "LINEGATE_VERIFY_TOKEN", "verify-me",
                "LINEGATE_MASTER_KEY", KEY));

        assertThat(c.port()).isEqualTo(9090);
        assertThat(c.database().url()).isEqualTo("jdbc:postgresql://db.internal:5432/linegate");
        assertThat(c.database().embedded()).isFalse();
        assertThat(c.database().user()).isEqualTo("linegate");
        assertThat(c.database().password().value()).isEqualTo("pg-secret");
        assertThat(c.graphUrl()).as("trailing slash dropped").isEqualTo(URI.create("http://127.0.0.1:8089"));
        assertThat(c.graphVersion()).isEqualTo("v24.0");
        assertThat(c.graphTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.graphMaxInFlight()).isEqualTo(250);
        assertThat(c.maxBodyBytes()).isEqualTo(2048);
        assertThat(c.maxConcurrentRequests()).isEqualTo(300);
        assertThat(c.lookupRefresh()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.lineSendsPerSecond()).isEqualTo(5);
        assertThat(c.logBatchSize()).isEqualTo(1);
        assertThat(c.logBatchWait()).isEqualTo(Duration.ofNanos(250_000));
        assertThat(c.appSecret().map(Secret::value)).contains("app-secret-value");
        assertThat(c.verifyToken().map(Secret::value)).contains("verify-me");
        assertThat(c.masterKey().get().bytes()).isEqualTo(Base64.getDecoder().decode(KEY));
    }

    @Test
    void eventsAreKeptSevenDaysUnlessConfiguredWithinOneToThreeThousandSixHundredFifty() {
        assertThat(LinegateConfig.fromEnvironment(Map.of()).eventRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_EVENT_RETENTION_DAYS", "30")).eventRetention())
                .isEqualTo(Duration.ofDays(30));
        for (String bad : new String[] {"0", "3651", "a week"}) {
            assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_EVENT_RETENTION_DAYS", bad)))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("LINEGATE_EVENT_RETENTION_DAYS");
        }
    }

    @Test
    void closingWindowsAreWarnedAnHourAheadUnlessConfiguredOffOrWithinTheWindow() {
        assertThat(LinegateConfig.fromEnvironment(Map.of()).windowWarning()).isEqualTo(Duration.ofMinutes(60));
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_WINDOW_WARNING_MINUTES", "15")).windowWarning())
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_WINDOW_WARNING_MINUTES", "0")).windowWarning())
                .as("off").isZero();
        for (String bad : new String[] {"-1", "1440", "an hour"}) {
            assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_WINDOW_WARNING_MINUTES", bad)))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("LINEGATE_WINDOW_WARNING_MINUTES");
        }
    }

    @Test
    void linesPauseAt95PercentOfMetasUsageUnlessConfigured() {
        assertThat(LinegateConfig.fromEnvironment(Map.of()).usagePausePercent()).isEqualTo(95);
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_USAGE_PAUSE_PERCENT", "80")).usagePausePercent())
                .isEqualTo(80);
        for (String bad : new String[] {"0", "101", "95%"}) {
            assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_USAGE_PAUSE_PERCENT", bad)))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("LINEGATE_USAGE_PAUSE_PERCENT");
        }
    }

    @Test
    void groupCommitIsTheDefaultOnPostgreSqlToo() {
        LinegateConfig c = LinegateConfig.fromEnvironment(env("LINEGATE_DB_URL", "jdbc:postgresql://db.internal:5432/linegate",
                "LINEGATE_MASTER_KEY", KEY));

        assertThat(c.logBatchSize()).isEqualTo(LinegateConfig.DEFAULT_LOG_BATCH_SIZE).isEqualTo(64);
    }

    @Test
    void theBoundsOfGraphMaxInFlightAreAllowed() {
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_GRAPH_MAX_IN_FLIGHT", "1")).graphMaxInFlight()).isEqualTo(1);
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_GRAPH_MAX_IN_FLIGHT", "100000")).graphMaxInFlight())
                .isEqualTo(100_000);
    }

    @Test
    void theRequestReadTimeoutIsInMillisecondsFrom100To600000() {
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_REQUEST_READ_TIMEOUT_MS", "100")).requestReadTimeout())
                .isEqualTo(Duration.ofMillis(100));
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_REQUEST_READ_TIMEOUT_MS", "600000")).requestReadTimeout())
                .isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_REQUEST_READ_TIMEOUT_MS", "99")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("LINEGATE_REQUEST_READ_TIMEOUT_MS must be a whole number from 100 to 600000, got '99' (default 20000)");
    }

    @Test
    void portZeroMeansAnyFreePortAndIsAllowed() {
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_PORT", "0")).port()).isZero();
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_PORT", " 65535 ")).port()).isEqualTo(65535);
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of(env("LINEGATE_PORT", "abc"), "LINEGATE_PORT", "whole number from 0 to 65535"),
                Arguments.of(env("LINEGATE_PORT", "70000"), "LINEGATE_PORT", "whole number from 0 to 65535"),
                Arguments.of(env("LINEGATE_PORT", "-1"), "LINEGATE_PORT", "whole number from 0 to 65535"),
                Arguments.of(env("LINEGATE_PORT", "80.5"), "LINEGATE_PORT", "whole number from 0 to 65535"),
                Arguments.of(env("LINEGATE_DB_URL", "mysql://x"), "LINEGATE_DB_URL", "jdbc:sqlite:./data/linegate.db"),
                Arguments.of(env("LINEGATE_DB_URL", "jdbc:mysql://db/linegate"), "LINEGATE_DB_URL", "jdbc:postgresql://"),
                Arguments.of(env("LINEGATE_GRAPH_URL", "ftp://x"), "LINEGATE_GRAPH_URL", "https://graph.facebook.com"),
                Arguments.of(env("LINEGATE_GRAPH_URL", "graph.facebook.com"), "LINEGATE_GRAPH_URL", "https://graph.facebook.com"),
                Arguments.of(env("LINEGATE_GRAPH_URL", "http://"), "LINEGATE_GRAPH_URL", "https://graph.facebook.com"),
                Arguments.of(env("LINEGATE_GRAPH_URL", "https://exa mple.com"), "LINEGATE_GRAPH_URL", "https://graph.facebook.com"),
                Arguments.of(env("LINEGATE_GRAPH_VERSION", "25"), "LINEGATE_GRAPH_VERSION", "v25.0"),
                Arguments.of(env("LINEGATE_GRAPH_VERSION", "v25"), "LINEGATE_GRAPH_VERSION", "v25.0"),
                Arguments.of(env("LINEGATE_GRAPH_TIMEOUT_MS", "50"), "LINEGATE_GRAPH_TIMEOUT_MS", "from 100 to 120000"),
                Arguments.of(env("LINEGATE_GRAPH_MAX_IN_FLIGHT", "0"), "LINEGATE_GRAPH_MAX_IN_FLIGHT", "from 1 to 100000"),
                Arguments.of(env("LINEGATE_GRAPH_MAX_IN_FLIGHT", "100001"), "LINEGATE_GRAPH_MAX_IN_FLIGHT",
                        "from 1 to 100000, got '100001' (default 1000)"),
                Arguments.of(env("LINEGATE_GRAPH_MAX_IN_FLIGHT", "unbounded"), "LINEGATE_GRAPH_MAX_IN_FLIGHT", "whole number"),
                Arguments.of(env("LINEGATE_MAX_BODY_BYTES", "1k"), "LINEGATE_MAX_BODY_BYTES", "whole number"),
                Arguments.of(env("LINEGATE_MAX_CONCURRENT_REQUESTS", "0"), "LINEGATE_MAX_CONCURRENT_REQUESTS",
                        "from 1 to 1000000, got '0' (default 10000)"),
                Arguments.of(env("LINEGATE_LOOKUP_REFRESH_MS", "10"), "LINEGATE_LOOKUP_REFRESH_MS",
                        "from 50 to 60000, got '10' (default 1000)"),
                Arguments.of(env("LINEGATE_LOOKUP_REFRESH_MS", "1s"), "LINEGATE_LOOKUP_REFRESH_MS", "whole number"),
                Arguments.of(env("LINEGATE_LINE_SENDS_PER_SECOND", "0"), "LINEGATE_LINE_SENDS_PER_SECOND", "from 1 to 100000"),
                Arguments.of(env("LINEGATE_LOG_BATCH_SIZE", "0"), "LINEGATE_LOG_BATCH_SIZE", "from 1 to 1000"),
                Arguments.of(env("LINEGATE_LOG_BATCH_SIZE", "5000"), "LINEGATE_LOG_BATCH_SIZE", "from 1 to 1000"),
                Arguments.of(env("LINEGATE_LOG_BATCH_WAIT_MICROS", "-1"), "LINEGATE_LOG_BATCH_WAIT_MICROS", "from 0 to 10000"),
                Arguments.of(env("LINEGATE_LOG_BATCH_WAIT_MICROS", "1ms"), "LINEGATE_LOG_BATCH_WAIT_MICROS", "from 0 to 10000"),
                Arguments.of(env("LINEGATE_MASTER_KEY", "not base64!!"), "LINEGATE_MASTER_KEY", "openssl rand -base64 32"),
                Arguments.of(env("LINEGATE_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[16])), "LINEGATE_MASTER_KEY",
                        "openssl rand -base64 32"),
                Arguments.of(env("LINEGATE_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[33])), "LINEGATE_MASTER_KEY",
                        "openssl rand -base64 32"),
                Arguments.of(env("LINEGATE_DB_URL", "jdbc:postgresql://db:5432/linegate"), "LINEGATE_MASTER_KEY",
                        "openssl rand -base64 32"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void anInvalidValueStopsWithOneLineNamingTheVariableAndTheFix(Map<String, String> env, String variable, String fix) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> LinegateConfig.fromEnvironment(env));

        assertThat(e).as("a ConfigException").isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r").startsWith(variable).contains(fix);
        assertThat(e.getStackTrace()).as("nothing to print but the line").isEmpty();
        assertThat(e.getCause()).isNull();
    }

    @Test
    void aBadMasterKeyIsNotEchoedInTheMessage() {
        String almostKey = Base64.getEncoder().encodeToString("sixteen-byte-key".getBytes());

        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", almostKey)))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining(almostKey).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", "s3cr3t-but-not-base64!")))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("s3cr3t");
    }

    @Test
    void aBadDatabaseUrlIsEchoedWithoutItsPassword() {
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_DB_URL", "mysql://db/x?user=a&password=hunter2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mysql://db/x?user=a&password=[REDACTED]")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void postgresqlWithAMasterKeyIsFine() {
        LinegateConfig c = LinegateConfig.fromEnvironment(env("LINEGATE_DB_URL", "jdbc:postgresql://db:5432/linegate",
                "LINEGATE_MASTER_KEY", KEY));

        assertThat(c.masterKey().get()).isEqualTo(MasterKey.fromBase64(KEY));
    }

    @Test
    void aGivenMasterKeyIsUsedAndNoKeyFileIsWritten() {
        LinegateConfig c = LinegateConfig.fromEnvironment(env("LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve("linegate.db"),
                "LINEGATE_MASTER_KEY", " " + KEY + " "));

        assertThat(c.masterKey().get().bytes()).isEqualTo(Base64.getDecoder().decode(KEY));
        assertThat(tmp.resolve(MasterKey.FILE_NAME)).doesNotExist();
    }

    @Test
    void toStringNeverShowsASecret() {
        LinegateConfig c = LinegateConfig.fromEnvironment(env(
                "LINEGATE_DB_URL", "jdbc:postgresql://db:5432/linegate?password=url-pw-123",
                "LINEGATE_DB_PASSWORD", "db-pw-456",
                "LINEGATE_APP_SECRET", "app-secret-789",
                "LINEGATE_VERIFY_TOKEN", "verify-token-000",
                "LINEGATE_MASTER_KEY", KEY));

        String printed = c.toString();
        assertThat(printed).doesNotContain("url-pw-123").doesNotContain("db-pw-456").doesNotContain("app-secret-789")
                .doesNotContain("verify-token-000").doesNotContain(KEY).doesNotContain(KEY.substring(0, 10))
                .contains("port=8080").contains("jdbc:postgresql://db:5432/linegate").contains("[REDACTED]")
                .contains("graphMaxInFlight=1000");
        assertThat(c.database().toString()).doesNotContain("url-pw-123").doesNotContain("db-pw-456");
        assertThat(c.masterKey().get().toString()).isEqualTo("MasterKey[REDACTED]");
        assertThat(c.appSecret().orElseThrow().toString()).isEqualTo("[REDACTED]");
        assertThat(String.valueOf(c.verifyToken())).doesNotContain("verify-token-000");
    }

    @Test
    void aSecretPrintsAsRedacted() {
        Secret s = new Secret("hunter2");

        assertThat(s.toString()).isEqualTo("[REDACTED]");
        assertThat(String.valueOf(Optional.of(s))).doesNotContain("hunter2");
        assertThat(s.value()).isEqualTo("hunter2");
        assertThatThrownBy(() -> new Secret(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void callbacksDefaultToPublicAddressesEightInFlightTenSecondsAndADay() {
        LinegateConfig.CallbackConfig c = LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY)).callbacks();

        assertThat(c).isEqualTo(new LinegateConfig.CallbackConfig(false, 8, java.time.Duration.ofSeconds(10),
                java.time.Duration.ofHours(24)));
    }

    @Test
    void mediaChecksRunByDefaultOnPublicAddressesWithinFiveSeconds() {
        LinegateConfig.MediaConfig m = LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY)).media();

        assertThat(m).isEqualTo(new LinegateConfig.MediaConfig(true, false, java.time.Duration.ofSeconds(5)));
    }

    @Test
    void mediaCheckSettingsAreReadAndBadOnesNamed() {
        LinegateConfig.MediaConfig m = LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_MEDIA_CHECK", "false", "LINEGATE_MEDIA_ALLOW_PRIVATE", "true",
                "LINEGATE_MEDIA_CHECK_TIMEOUT_MS", "1500")).media();
        assertThat(m).isEqualTo(new LinegateConfig.MediaConfig(false, true, java.time.Duration.ofMillis(1500)));

        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_MEDIA_CHECK", "on")))
                .hasMessage("LINEGATE_MEDIA_CHECK must be true or false, got 'on' (default true)");
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_MEDIA_CHECK_TIMEOUT_MS", "60000")))
                .hasMessageStartingWith("LINEGATE_MEDIA_CHECK_TIMEOUT_MS must be a whole number from 100 to 30000");
    }

    @Test
    void tokenChecksRunHourlyAndInstagramLoginGoesToGraphInstagramComByDefault() {
        LinegateConfig.TokenConfig t = LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY)).tokens();

        assertThat(t).isEqualTo(new LinegateConfig.TokenConfig(java.net.URI.create("https://graph.instagram.com"),
                java.time.Duration.ofMinutes(60)));
        assertThat(t.checks()).isTrue();
    }

    @Test
    void tokenSettingsAreReadAndBadOnesNamed() {
        LinegateConfig.TokenConfig t = LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_IG_GRAPH_URL", "http://127.0.0.1:8089/", "LINEGATE_TOKEN_CHECK_MINUTES", "0")).tokens();
        assertThat(t.instagramGraphUrl()).isEqualTo(java.net.URI.create("http://127.0.0.1:8089"));
        assertThat(t.checks()).as("0 turns the check off").isFalse();
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY, "LINEGATE_TOKEN_CHECK_MINUTES", "15"))
                .tokens().checkEvery()).isEqualTo(java.time.Duration.ofMinutes(15));

        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_TOKEN_CHECK_MINUTES", "-1")))
                .hasMessage("LINEGATE_TOKEN_CHECK_MINUTES must be a whole number from 0 to 10080, got '-1' (default 60)");
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_TOKEN_CHECK_MINUTES", "hourly")))
                .hasMessageStartingWith("LINEGATE_TOKEN_CHECK_MINUTES must be a whole number from 0 to 10080");
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_IG_GRAPH_URL", "graph.instagram.com")))
                .hasMessageStartingWith("LINEGATE_IG_GRAPH_URL must be an http(s) URL such as https://graph.instagram.com");
    }

    @Test
    void callbackSettingsAreReadAndBadOnesNamed() {
        LinegateConfig.CallbackConfig c = LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_CALLBACK_ALLOW_PRIVATE", "TRUE", "LINEGATE_CALLBACK_CONCURRENCY", "3",
                "LINEGATE_CALLBACK_RETRY_BASE_MS", "50", "LINEGATE_CALLBACK_MAX_AGE", "PT30M")).callbacks();
        assertThat(c).isEqualTo(new LinegateConfig.CallbackConfig(true, 3, java.time.Duration.ofMillis(50),
                java.time.Duration.ofMinutes(30)));

        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_CALLBACK_ALLOW_PRIVATE", "yes")))
                .hasMessage("LINEGATE_CALLBACK_ALLOW_PRIVATE must be true or false, got 'yes' (default false)");
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_CALLBACK_MAX_AGE", "24h")))
                .hasMessageStartingWith("LINEGATE_CALLBACK_MAX_AGE must be a positive ISO-8601 duration such as PT24H");
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_CALLBACK_CONCURRENCY", "0")))
                .hasMessageStartingWith("LINEGATE_CALLBACK_CONCURRENCY must be a whole number from 1 to 256");
    }

    @Test
    void queuedSendsWaitAnHourRetryFromASecondAndSixtyFourInFlightUnlessConfigured() {
        LinegateConfig.QueueConfig q = LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY)).queue();
        assertThat(q).isEqualTo(new LinegateConfig.QueueConfig(java.time.Duration.ofHours(1),
                java.time.Duration.ofSeconds(1), 64, java.time.Duration.ofMillis(50)));

        LinegateConfig.QueueConfig set = LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_QUEUE_MAX_AGE", "PT10M", "LINEGATE_QUEUE_RETRY_BASE_MS", "250",
                "LINEGATE_QUEUE_CONCURRENCY", "8", "LINEGATE_QUEUE_POLL_MS", "1000")).queue();
        assertThat(set).isEqualTo(new LinegateConfig.QueueConfig(java.time.Duration.ofMinutes(10),
                java.time.Duration.ofMillis(250), 8, java.time.Duration.ofSeconds(1)));
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_QUEUE_MAX_AGE", "1h")))
                .hasMessageStartingWith("LINEGATE_QUEUE_MAX_AGE must be a positive ISO-8601 duration such as PT24H");
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_QUEUE_CONCURRENCY", "0")))
                .hasMessageStartingWith("LINEGATE_QUEUE_CONCURRENCY must be a whole number from 1 to 10000");
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_QUEUE_POLL_MS", "1")))
                .hasMessageStartingWith("LINEGATE_QUEUE_POLL_MS must be a whole number from 5 to 60000");
    }

    @Test
    void theLogLevelIsOneOfLogbacksLevelsInAnyCaseAndAnythingElseIsRefused() {
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_LOG_LEVEL", "debug")).logging().level()).isEqualTo("DEBUG");
        assertThat(LinegateConfig.fromEnvironment(Map.of()).logging())
                .isEqualTo(new LinegateConfig.LoggingConfig("INFO", LinegateConfig.LoggingConfig.Format.TEXT, true));
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_LOG_LEVEL", "verbose")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("LINEGATE_LOG_LEVEL must be one of trace, debug, info, warn, error, got 'verbose' (default info)");
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_LOG_FORMAT", "logfmt")))
                .hasMessage("LINEGATE_LOG_FORMAT must be one of text, json, got 'logfmt' (default text)");
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_LOG_FORMAT", "JSON", "LINEGATE_SEND_LOG", "false"))
                .logging()).isEqualTo(new LinegateConfig.LoggingConfig("INFO", LinegateConfig.LoggingConfig.Format.JSON, false));
    }

    @Test
    void theListenAddressIsAnIpLiteralAndTheManagementPortIsOptional() {
        assertThat(LinegateConfig.fromEnvironment(Map.of()).network())
                .isEqualTo(new LinegateConfig.NetworkConfig("0.0.0.0", java.util.OptionalInt.empty()));
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_BIND", "127.0.0.1", "LINEGATE_MANAGEMENT_PORT", "9090"))
                .network()).isEqualTo(new LinegateConfig.NetworkConfig("127.0.0.1", java.util.OptionalInt.of(9090)));
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_BIND", "[::1]")).network().bind()).isEqualTo("::1");
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_BIND", "localhost")))
                .hasMessageStartingWith("LINEGATE_BIND must be an IP address to listen on");
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_BIND", "10.0.0.256")))
                .hasMessageStartingWith("LINEGATE_BIND must be an IP address to listen on");
        assertThatThrownBy(() -> LinegateConfig.fromEnvironment(env("LINEGATE_MANAGEMENT_PORT", "0")))
                .hasMessage("LINEGATE_MANAGEMENT_PORT must be a whole number from 1 to 65535, got '0' (default 0)");
    }

    @Test
    void theSummaryNamesTheDatabaseHostGraphPortsAndLimitsButNoSecret() {
        LinegateConfig c = LinegateConfig.fromEnvironment(env(
                "LINEGATE_DB_URL", "jdbc:postgresql://db.internal:5433/linegate?password=url-pw-123&ssl=true",
                "LINEGATE_DB_USER", "lg-user", "LINEGATE_DB_PASSWORD", "db-pw-456", "LINEGATE_MASTER_KEY", KEY,
                "LINEGATE_APP_SECRET", "app-secret-789", "LINEGATE_VERIFY_TOKEN", "verify-tok-012",
                "LINEGATE_PORT", "8443", "LINEGATE_MANAGEMENT_PORT", "9090", "LINEGATE_MAX_BODY_BYTES", "2048"));

        assertThat(c.summary()).startsWith("configuration: database postgresql db.internal:5433/linegate;")
                .contains("Graph https://graph.facebook.com/v25.0", "listening on 0.0.0.0:8443",
                        "/metrics and /health on port 9090", "body 2048 bytes", "app secret set", "verify token set",
                        "Instagram app secret not set")
                .doesNotContain("url-pw-123", "db-pw-456", "lg-user", KEY, "app-secret-789", "verify-tok-012");
        assertThat(LinegateConfig.fromEnvironment(env("LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve("lg.db"))).summary())
                .startsWith("configuration: database sqlite " + tmp.resolve("lg.db") + ";");
    }
}
