package linegate.http;

import com.github.tomakehurst.wiremock.WireMockServer;
import linegate.store.LineClass;
import linegate.store.LineHealth;
import linegate.store.LineLogin;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.Stores;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token check's start-up round in a whole served gateway: a line whose token Meta no longer takes is found
 * token_rejected without any send, while the node is ready at once (the round runs beside start-up, and Meta here
 * takes 1.5 seconds to answer); /metrics carries the linegate_lines gauges from the start.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class TokenCheckAtStartupTest {
    static final String IG_TOKEN = "IGAAJ1startupCheckInstagramUserToken0123456789ZDZD";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    WireMockServer instagram;
    Map<String, String> env;
    long line;

    @BeforeEach
    void aLineCreatedBeforeTheNodeStarts() {
        instagram = new WireMockServer(wireMockConfig().dynamicPort());
        instagram.start();
        instagram.stubFor(get(urlEqualTo("/v25.0/me?fields=id")).willReturn(aResponse().withStatus(400)
                .withFixedDelay(1500).withHeader("Content-Type", "application/json")
                .withBody(MetaSamples.error(190, 463, "OAuthException", "Error validating access token: Session has"
                        + " expired on Tuesday, 01-Dec-26 07:00:00 PST", "StArTuP"))));
        env = new HashMap<>(db.freshEnv(tmp));
        env.put("LINEGATE_IG_GRAPH_URL", instagram.baseUrl());
        env.put("LINEGATE_GRAPH_TIMEOUT_MS", "10000"); // a cold JVM's first call must not time out
        env.put("LINEGATE_TOKEN_CHECK_MINUTES", "60"); // the test gateway's default is off
        try (Stores stores = Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(env.get("LINEGATE_MASTER_KEY")), Clock.systemUTC())) {
            long account = stores.accounts().create("Acme Dental");
            line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM,
                    Optional.of(new PageAccessToken(IG_TOKEN)), Optional.of("17841499999999999"), Optional.empty(), true,
                    false, LineLogin.INSTAGRAM, Optional.empty()));
        }
    }

    @AfterEach
    void stop() {
        instagram.stop();
    }

    @Test
    void aDeadTokenIsFoundAtStartUpWithoutDelayingReadiness() {
        try (Gateway gw = Gateway.start(env)) {
            Gateway.Response ready = gw.get("/health/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(gw.stores().lines().find(line).orElseThrow().health()).as("Meta has not answered yet")
                    .isEqualTo(LineHealth.UNKNOWN);
            Gateway.Response metrics = gw.get("/metrics");
            assertThat(metrics.raw()).contains("# HELP linegate_lines Active lines by health")
                    .contains("linegate_lines{health=\"ok\"}").contains("linegate_lines{health=\"token_rejected\"}")
                    .contains("linegate_lines{health=\"restricted\"}").contains("linegate_lines{health=\"unknown\"} 1.0");

            Webhooks.await("the start-up check to mark the line", () -> gw.stores().lines().find(line)
                    .filter(l -> l.health() == LineHealth.TOKEN_REJECTED));

            instagram.verify(1, getRequestedFor(urlEqualTo("/v25.0/me?fields=id"))
                    .withHeader("Authorization", equalTo("Bearer " + IG_TOKEN)));
            assertThat(gw.stores().lines().find(line).orElseThrow().healthReason().orElseThrow())
                    .startsWith("Meta error 190/463");
        }
    }
}
