package linegate.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

/**
 * The fixture of end-to-end test classes whose tests each need a gateway of their own (state a test leaves behind,
 * such as a paused line, must not reach the next): the class runs once on SQLite and once on PostgreSQL, every test
 * on a fresh database and server. {@link GatewayPerDatabase} shares one gateway per class instead.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
public abstract class GatewayPerTest {
    @Parameter
    protected TestDb db;

    @TempDir
    protected Path tmp;

    protected Gateway gw;

    @BeforeEach
    final void startGateway() {
        gw = Gateway.start(db, tmp);
    }

    @AfterEach
    final void stopGateway() {
        gw.close();
    }
}
