package linegate.health;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import linegate.meta.GraphHosts;
import linegate.meta.HttpTokenClient;
import linegate.store.LineClass;
import linegate.store.LineHealth;
import linegate.store.LineLogin;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.Stores;
import linegate.store.events.EventType;
import linegate.testing.MetaSamples;
import linegate.testing.MovableClock;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The periodic token check with the clock in hand, on SQLite and PostgreSQL, against WireMock as graph.facebook.com
 * and graph.instagram.com answering {@code GET /v25.0/me?fields=id}: which host and token each line's check uses, the
 * health transitions Meta's answers make (each one line.status event), the interval, and that of two nodes one checks
 * each line; then the {@code linegate_lines} gauges counting the result.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class TokenChecksTest {
    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    static final Duration HOUR = Duration.ofHours(1);
    static final String PAGE_TOKEN = "EAAGm0PX4ZCpsBAtokenChecksPageToken0123456789ZDZD";
    static final String IG_TOKEN = "IGAAJ1tokenChecksInstagramUserToken0123456789ZDZD";
    static final String ME = "/v25.0/me?fields=id";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    final MovableClock clock = new MovableClock(T0);
    final List<AutoCloseable> opened = new ArrayList<>();
    Map<String, String> env;
    WireMockServer facebook;
    WireMockServer instagram;
    Stores stores;
    long account;
    long pageLine;
    long igLine;

    @BeforeEach
    void open() {
        env = db.freshEnv(tmp);
        facebook = new WireMockServer(wireMockConfig().dynamicPort());
        instagram = new WireMockServer(wireMockConfig().dynamicPort());
        facebook.start();
        instagram.start();
        stores = openStores();
        account = stores.accounts().create("Acme Dental");
        pageLine = stores.lines().create(new NewLine(account, LineClass.MESSENGER, Optional.of(new PageAccessToken(PAGE_TOKEN)),
                Optional.empty(), Optional.of("106540352242922"), true, false));
        igLine = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.of(new PageAccessToken(IG_TOKEN)),
                Optional.of("17841405793187218"), Optional.empty(), true, false, LineLogin.INSTAGRAM, Optional.empty()));
        facebookAnswers(200, "{\"id\":\"106540352242922\"}");
        instagramAnswers(200, "{\"id\":\"7364912364912\"}");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        facebook.stop();
        instagram.stop();
    }

    private Stores openStores() {
        Stores s = Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(env.get("LINEGATE_MASTER_KEY")), clock);
        opened.add(s);
        return s;
    }

    private TokenChecks checks(Stores s) {
        HttpTokenClient client = new HttpTokenClient(new GraphHosts(URI.create(facebook.baseUrl()),
                URI.create(instagram.baseUrl())), "v25.0", Duration.ofSeconds(5), 4, new SimpleMeterRegistry());
        opened.add(client);
        TokenChecks checks = new TokenChecks(s.lines().tokens(), client, new LineHealthTracker(s.lines()), clock, HOUR);
        opened.add(checks);
        return checks;
    }

    private void facebookAnswers(int status, String body) {
        facebook.resetMappings();
        facebook.stubFor(get(urlEqualTo(ME)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private void instagramAnswers(int status, String body) {
        instagram.resetMappings();
        instagram.stubFor(get(urlEqualTo(ME)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private int calls(WireMockServer host) {
        return host.countRequestsMatching(getRequestedFor(urlEqualTo(ME)).build()).getCount();
    }

    private LineHealth health(long line) {
        return stores.lines().find(line).orElseThrow().health();
    }

    private List<String> events(long line) {
        return stores.outbox().after(account, 0, 100).stream()
                .filter(e -> e.type() == EventType.LINE_STATUS && e.lineId().equals(Optional.of(line)))
                .map(e -> e.notice().previousState().orElseThrow() + "->" + e.state().orElseThrow()).toList();
    }

    private static String expired() {
        return MetaSamples.error(190, 463, "OAuthException",
                "Error validating access token: Session has expired on Tuesday, 01-Dec-26 07:00:00 PST", "AbCdEf");
    }

    @Test
    void eachLineIsCheckedOnTheHostThatGrantedItsTokenAndAValidTokenMakesItOk() {
        checks(stores).startupRound();

        facebook.verify(1, getRequestedFor(urlEqualTo(ME)).withHeader("Authorization", equalTo("Bearer " + PAGE_TOKEN)));
        instagram.verify(1, getRequestedFor(urlEqualTo(ME)).withHeader("Authorization", equalTo("Bearer " + IG_TOKEN)));
        assertThat(health(pageLine)).isEqualTo(LineHealth.OK);
        assertThat(health(igLine)).isEqualTo(LineHealth.OK);
        assertThat(events(pageLine)).containsExactly("unknown->ok");
        assertThat(events(igLine)).containsExactly("unknown->ok");
    }

    @Test
    void aDeadTokenBecomesTokenRejectedAndALiveOneAgainOkEachChangeOneEvent() {
        TokenChecks checks = checks(stores);
        checks.startupRound();

        facebookAnswers(400, expired());
        clock.advance(HOUR);
        checks.periodicRound();
        assertThat(health(pageLine)).isEqualTo(LineHealth.TOKEN_REJECTED);
        assertThat(stores.lines().find(pageLine).orElseThrow().healthReason().orElseThrow())
                .startsWith("Meta error 190/463: Error validating access token");
        assertThat(health(igLine)).isEqualTo(LineHealth.OK);

        clock.advance(HOUR);
        checks.periodicRound();
        assertThat(calls(facebook)).isEqualTo(3);
        assertThat(events(pageLine)).as("the same health again is no event").containsExactly("unknown->ok",
                "ok->token_rejected");

        facebookAnswers(200, "{\"id\":\"106540352242922\"}");
        clock.advance(HOUR);
        checks.periodicRound();
        assertThat(health(pageLine)).isEqualTo(LineHealth.OK);
        assertThat(events(pageLine)).containsExactly("unknown->ok", "ok->token_rejected", "token_rejected->ok");
        assertThat(events(igLine)).containsExactly("unknown->ok");
    }

    @Test
    void noAnswerChangesNothing() {
        TokenChecks checks = checks(stores);
        instagramAnswers(400, expired());
        checks.startupRound();
        assertThat(health(igLine)).isEqualTo(LineHealth.TOKEN_REJECTED);

        instagram.resetMappings();
        instagram.stubFor(get(urlEqualTo(ME)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        facebook.resetMappings();
        facebook.stubFor(get(urlEqualTo(ME)).willReturn(aResponse().withStatus(503).withBody("busy")));
        clock.advance(HOUR);
        checks.periodicRound();

        assertThat(calls(instagram)).isEqualTo(2);
        assertThat(calls(facebook)).isEqualTo(2);
        assertThat(health(igLine)).isEqualTo(LineHealth.TOKEN_REJECTED);
        assertThat(health(pageLine)).isEqualTo(LineHealth.OK);
    }

    @Test
    void aLineIsCheckedOnceAnIntervalAndInactiveLinesAreNotChecked() {
        long inactive = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(PAGE_TOKEN)), Optional.of("17841400000000009"), Optional.empty(), false, false));
        TokenChecks checks = checks(stores);
        checks.startupRound();
        assertThat(calls(facebook)).isEqualTo(1);

        clock.advance(Duration.ofMinutes(30));
        checks.periodicRound();
        assertThat(calls(facebook)).as("checked half an hour ago").isEqualTo(1);

        clock.advance(Duration.ofMinutes(30));
        checks.periodicRound();
        assertThat(calls(facebook)).isEqualTo(2);
        assertThat(calls(instagram)).isEqualTo(2);
        assertThat(health(inactive)).isEqualTo(LineHealth.UNKNOWN);
    }

    @Test
    void aStartUpRoundSkipsLinesCheckedInTheLastFiveMinutes() {
        checks(stores).startupRound();
        clock.advance(Duration.ofMinutes(4));
        checks(stores).startupRound();
        assertThat(calls(facebook)).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        checks(stores).startupRound();
        assertThat(calls(facebook)).as("a restart six minutes later checks again").isEqualTo(2);
    }

    @Test
    void ofTwoNodesCheckingAtOnceEachLineIsCheckedOnce() throws Exception {
        for (int i = 0; i < 8; i++) {
            stores.lines().create(new NewLine(account, LineClass.MESSENGER, Optional.of(new PageAccessToken(PAGE_TOKEN)),
                    Optional.empty(), Optional.of("10654035224" + (1000 + i)), true, false));
        }
        facebook.resetMappings();
        facebook.stubFor(get(urlEqualTo(ME)).willReturn(aResponse().withStatus(200).withFixedDelay(100)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"106540352242922\"}")));
        TokenChecks first = checks(stores);
        TokenChecks second = checks(openStores());

        CompletableFuture<Void> a = CompletableFuture.runAsync(first::startupRound);
        CompletableFuture<Void> b = CompletableFuture.runAsync(second::startupRound);
        CompletableFuture.allOf(a, b).get();

        assertThat(calls(facebook) + calls(instagram)).isEqualTo(10);
        assertThat(stores.lines().list(Optional.empty())).allSatisfy(l -> assertThat(l.health()).isEqualTo(LineHealth.OK));
    }

    @Test
    void ofTwoNodesThatBothSeeALineDueExactlyOneClaimsItsCheck() {
        Stores other = openStores();
        long since = clock.millis() - HOUR.toMillis();
        assertThat(stores.lines().tokens().dueForCheck(since, 100)).hasSize(2);
        assertThat(other.lines().tokens().dueForCheck(since, 100)).hasSize(2);

        boolean first = stores.lines().tokens().claimCheck(pageLine, clock.millis(), since);
        boolean second = other.lines().tokens().claimCheck(pageLine, clock.millis(), since);

        assertThat(List.of(first, second)).containsExactly(true, false);
        assertThat(other.lines().tokens().dueForCheck(since, 100)).extracting(t -> t.lineId()).containsExactly(igLine);
        assertThat(other.lines().tokens().dueForCheck(since, 100).getFirst().toString()).doesNotContain(IG_TOKEN);
    }

    @Test
    void theGaugesCountActiveLinesByHealth() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LineHealthGauges gauges = new LineHealthGauges(stores.lines().tokens(), registry);
        gauges.run();
        assertThat(registry.scrape()).contains("# HELP linegate_lines Active lines by health")
                .contains("linegate_lines{health=\"unknown\"} 2.0")
                .contains("linegate_lines{health=\"ok\"} 0.0")
                .contains("linegate_lines{health=\"token_rejected\"} 0.0")
                .contains("linegate_lines{health=\"restricted\"} 0.0");

        facebookAnswers(400, expired());
        checks(stores).startupRound();
        gauges.run();

        assertThat(registry.scrape()).contains("linegate_lines{health=\"unknown\"} 0.0")
                .contains("linegate_lines{health=\"ok\"} 1.0")
                .contains("linegate_lines{health=\"token_rejected\"} 1.0");
    }
}
