package linegate.http;

import linegate.store.LineChanges;
import linegate.store.PageAccessToken;
import linegate.store.Stores;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A serving node caches tokens and lines; a change made by another node (another serve process, or an operator
 * command) takes effect on it within three poll intervals (docs/operations.md, LINEGATE_LOOKUP_REFRESH_MS). Both
 * databases, the real HTTP server; "another node" is a second {@link Stores} on the same database.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class LookupsAcrossNodesTest {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final Duration REFRESH = Duration.ofMillis(100);
    private static final Duration BOUND = REFRESH.multipliedBy(3).plusMillis(50);

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Gateway gw;
    Stores otherNode;

    @BeforeEach
    void start() {
        Map<String, String> env = new HashMap<>(db.freshEnv(tmp));
        env.put("LINEGATE_LOOKUP_REFRESH_MS", Long.toString(REFRESH.toMillis()));
        gw = Gateway.start(env);
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        otherNode = Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(TestDb.MASTER_KEY), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        otherNode.close();
        gw.close();
    }

    private Gateway.Response send() {
        return gw.postJson(PATH, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\""));
    }

    @Test
    void aTokenRevokedOnAnotherNodeIsRefusedHereWithinTheBound() throws Exception {
        assertThat(send().statusCode()).isEqualTo(200);
        long tokenId = otherNode.tokens().create(gw.accountId, "spare").id() - 1; // the gateway's own token came first

        otherNode.tokens().revoke(tokenId);
        Thread.sleep(BOUND.toMillis());

        Gateway.Response r = send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.statusCode()).isEqualTo(101);
    }

    @Test
    void aLineDeactivatedOnAnotherNodeIsRefusedHereWithinTheBound() throws Exception {
        assertThat(send().statusCode()).isEqualTo(200);

        otherNode.lines().update(gw.lineId, new LineChanges(Optional.empty(), Optional.of(false), Optional.empty()));
        Thread.sleep(BOUND.toMillis());

        assertThat(send().statusCode()).isEqualTo(230);
    }

    @Test
    void aPageTokenReplacedOnAnotherNodeIsUsedHereWithinTheBound() throws Exception {
        assertThat(send().statusCode()).isEqualTo(200);
        String replaced = "EAAGm0PX4ZCpsBAreplacedOnAnotherNode0123456789";

        otherNode.lines().update(gw.lineId, new LineChanges(Optional.of(new PageAccessToken(replaced)), Optional.empty(),
                Optional.empty()));
        Thread.sleep(BOUND.toMillis());

        assertThat(send().statusCode()).isEqualTo(200);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)).withHeader("Authorization",
                equalTo("Bearer " + replaced)));
    }
}
