package linegate.testing;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The fixture of end-to-end test classes that share one whole gateway per database: the class runs once on SQLite and
 * once on PostgreSQL, each run on a fresh database with its own {@link Gateway} started before its first test and
 * closed after its last. A class adds variables with {@link #gatewayEnv()}; its own
 * {@code @BeforeParameterizedClassInvocation} methods run after the gateway is up (superclass methods run first).
 * Tests that need a gateway of their own per test start one with {@link Gateway#start} instead.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GatewayPerDatabase {
    @Parameter
    protected TestDb db;

    /** The whole environment the gateway runs on; operator commands in other processes reach its database with it. */
    protected Map<String, String> env;

    protected Gateway gw;

    /** Variables beyond the fresh database, the free port and WireMock as Meta; none by default. */
    protected Map<String, String> gatewayEnv() {
        return Map.of();
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    final void startGateway(@TempDir Path tmp) {
        env = new HashMap<>(db.freshEnv(tmp));
        env.putAll(gatewayEnv());
        gw = Gateway.start(env);
    }

    @AfterParameterizedClassInvocation
    final void stopGateway() {
        if (gw != null) {
            gw.close();
        }
    }
}
