package linegate;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import linegate.config.ConfigException;
import linegate.config.LinegateConfig;
import linegate.store.LineClass;
import linegate.store.Lines;
import linegate.store.LookupEpoch;
import linegate.store.NewLine;
import linegate.store.NoticeRecorder;
import linegate.store.PageAccessToken;
import linegate.store.TokenCipher;
import linegate.testing.Gateway;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node checks at start that its master key opens the stored secrets (docs/operations.md, "The master key"), on
 * both databases: none opens, it refuses; some do not, it starts and names them.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class MasterKeyCheckTest {
    private static final byte[] OTHER_KEY = "another-32-byte-master-key-here!".getBytes();

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    @Test
    void aNodeWhoseKeyOpensNoStoredTokenRefusesToStart() {
        Map<String, String> env;
        try (Gateway first = Gateway.start(db, tmp)) {
            env = new HashMap<>(first.env());
        }
        env.put("LINEGATE_MASTER_KEY", Base64.getEncoder().encodeToString(OTHER_KEY));
        String otherKeyId = new TokenCipher(OTHER_KEY).keyId();
        String rightKeyId = new TokenCipher(Base64.getDecoder().decode(TestDb.MASTER_KEY)).keyId();

        assertThatThrownBy(() -> Linegate.start(LinegateConfig.fromEnvironment(env), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("the master key (LINEGATE_MASTER_KEY, key id " + otherKeyId + ") opens none of"
                        + " the 1 page access tokens and callback secrets stored in the database, which were sealed"
                        + " under key id " + rightKeyId + ": start this node with that key")
                .message().doesNotContain(Gateway.PAGE_TOKEN);

        env.put("LINEGATE_MASTER_KEY", TestDb.MASTER_KEY);
        Linegate.start(LinegateConfig.fromEnvironment(env), Clock.systemUTC()).close(); // the right key starts
    }

    @Test
    void aNodeWhoseKeyOpensSomeTokensStartsAndNamesTheOthers() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Map<String, String> env;
        long foreign;
        try (Gateway first = Gateway.start(db, tmp)) {
            env = first.env();
            foreign = new Lines(first.stores().db(), new TokenCipher(OTHER_KEY), Clock.systemUTC(), new LookupEpoch(),
                    NoticeRecorder.NONE).create(new NewLine(first.accountId, LineClass.MESSENGER,
                    Optional.of(new PageAccessToken("EAAGsealedUnderAnotherKey")), Optional.empty(),
                    Optional.of("99887766"), true, false));
        }
        root.addAppender(logs);
        try (Linegate node = Linegate.start(LinegateConfig.fromEnvironment(env), Clock.systemUTC())) {
            assertThat(node.port()).isPositive();
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).filteredOn(e -> e.getLevel().toString().equals("WARN"))
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).startsWith("secrets sealed under another master key than this node's")
                        .contains("the page tokens of lines " + foreign + " (key id " + new TokenCipher(OTHER_KEY).keyId()
                                + ") (their sends answer 500)")
                        // the advice must not lead to sealing them again under a key the other nodes lack
                        .contains("if the other nodes run with the key of that id, start this node with it too")
                        .contains("set these again under this node's key only if the key they were sealed under is"
                                + " lost for good"));
    }
}
