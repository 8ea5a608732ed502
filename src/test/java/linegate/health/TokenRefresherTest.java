package linegate.health;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.meta.GraphHosts;
import linegate.meta.HttpTokenClient;
import linegate.store.Line;
import linegate.store.LineChanges;
import linegate.store.LineClass;
import linegate.store.LineHealth;
import linegate.store.LineLogin;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.Stores;
import linegate.store.events.EventRow;
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
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refreshing Instagram Login tokens with the clock in hand, on SQLite and PostgreSQL, against WireMock as
 * graph.instagram.com answering Meta's refresh_access_token JSON: when a token is refreshed (older than 24 hours and
 * expiring within 10 days, or of unknown expiry), what is stored, what a failure does to the line's health, that a
 * token is never lost, and that of two nodes one refreshes.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class TokenRefresherTest {
    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    static final String OLD = "IGAAJ1oldInstagramUserToken0123456789abcdefZDZD";
    static final String NEW = "IGAAJ1newInstagramUserToken9876543210zyxwvuZDZD";
    static final String OPERATORS = "IGAAJ1operatorsInstagramUserToken55555ZDZD";
    static final long LIFETIME_SECONDS = 5183944;
    static final String REFRESH = "/refresh_access_token";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    final MovableClock clock = new MovableClock(T0);
    Map<String, String> env;
    WireMockServer instagram;
    final List<AutoCloseable> opened = new ArrayList<>();
    Stores stores;
    long account;

    @BeforeEach
    void open() {
        env = db.freshEnv(tmp);
        instagram = new WireMockServer(wireMockConfig().dynamicPort());
        instagram.start();
        answersWithTheNewToken(0);
        stores = openStores();
        account = stores.accounts().create("Acme Dental");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        instagram.stop();
    }

    private Stores openStores() {
        Stores s = Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(env.get("LINEGATE_MASTER_KEY")), clock);
        opened.add(s);
        return s;
    }

    private TokenRefresher refresher(Stores s) {
        HttpTokenClient client = new HttpTokenClient(new GraphHosts(URI.create("http://127.0.0.1:9"),
                URI.create(instagram.baseUrl())), "v25.0", Duration.ofSeconds(5), 2, new SimpleMeterRegistry());
        opened.add(client);
        return new TokenRefresher(s.lines().tokens(), client, new LineHealthTracker(s.lines()), clock);
    }

    private void answersWithTheNewToken(int delayMillis) {
        instagram.resetMappings();
        instagram.stubFor(get(urlPathEqualTo(REFRESH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withFixedDelay(delayMillis)
                .withBody(MetaSamples.read("ig-refresh-access-token-success.doc.json").replace("<ACCESS_TOKEN>", NEW))));
    }

    private void answersWithAnError(int status, String error) {
        instagram.resetMappings();
        instagram.stubFor(get(urlPathEqualTo(REFRESH)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(error)));
    }

    /** An active Instagram Login line created now, whose token expires at {@code expiry} (empty: not known). */
    private long instagramLoginLine(Optional<Instant> expiry) {
        return stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.of(new PageAccessToken(OLD)),
                Optional.of("17841405793187218"), Optional.empty(), true, false, LineLogin.INSTAGRAM, expiry));
    }

    private int refreshCalls() {
        return instagram.countRequestsMatching(getRequestedFor(urlPathEqualTo(REFRESH)).build()).getCount();
    }

    private String token(long line) {
        return stores.lines().find(line).orElseThrow().pageToken().orElseThrow().reveal();
    }

    private List<String> healthEvents() {
        return stores.outbox().after(account, 0, 100).stream().filter(e -> e.type() == EventType.LINE_STATUS)
                .map(e -> e.notice().previousState().orElseThrow() + "->" + e.state().orElseThrow()).toList();
    }

    private List<EventRow> lineStatusEvents() {
        return stores.outbox().after(account, 0, 100).stream().filter(e -> e.type() == EventType.LINE_STATUS).toList();
    }

    @Test
    void aTokenOf23HoursIsNotRefreshedEvenWhenItExpiresWithinTenDays() {
        long line = instagramLoginLine(Optional.of(T0.plus(Duration.ofDays(5))));
        clock.set(T0.plus(Duration.ofHours(23)));

        refresher(stores).run();

        assertThat(refreshCalls()).isZero();
        assertThat(token(line)).isEqualTo(OLD);
    }

    @Test
    void aTokenOf25HoursExpiringWithinTenDaysIsRefreshedStoredSealedAndTheLineIsOk() throws SQLException {
        long line = instagramLoginLine(Optional.of(T0.plus(Duration.ofDays(5))));
        Instant refreshedAt = T0.plus(Duration.ofHours(25));
        clock.set(refreshedAt);

        refresher(stores).run();

        assertThat(refreshCalls()).isEqualTo(1);
        instagram.verify(getRequestedFor(urlPathEqualTo(REFRESH)).withQueryParam("grant_type", equalTo("ig_refresh_token"))
                .withQueryParam("access_token", equalTo(OLD)));
        Line refreshed = stores.lines().find(line).orElseThrow();
        assertThat(refreshed.pageToken().orElseThrow().reveal()).isEqualTo(NEW);
        assertThat(refreshed.tokenIssuedAtMillis()).contains(refreshedAt.toEpochMilli());
        assertThat(refreshed.tokenExpiresAtMillis()).contains(refreshedAt.plusSeconds(LIFETIME_SECONDS).toEpochMilli());
        assertThat(refreshed.health()).isEqualTo(LineHealth.OK);
        assertThat(healthEvents()).containsExactly("unknown->ok");
        assertThat(rawSealedToken(line)).startsWith("v1.").doesNotContain(NEW).doesNotContain(OLD);
        assertThat(stores.lines().tokens().refreshError(line)).isEmpty();

        clock.advance(Duration.ofHours(2));
        refresher(stores).run();
        assertThat(refreshCalls()).as("the new token is 2 hours old").isEqualTo(1);
    }

    @Test
    void aTokenWithElevenDaysLeftIsNotRefreshedUntilItHasTen() {
        long line = instagramLoginLine(Optional.of(T0.plus(Duration.ofDays(12))));
        clock.set(T0.plus(Duration.ofDays(1)).plus(Duration.ofHours(1))); // 25 hours old, 10 days 23 hours left

        refresher(stores).run();
        assertThat(refreshCalls()).isZero();

        clock.set(T0.plus(Duration.ofDays(12)).minus(Duration.ofDays(11)));
        refresher(stores).run();
        assertThat(refreshCalls()).as("11 days left").isZero();

        clock.set(T0.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(1)));
        refresher(stores).run();
        assertThat(refreshCalls()).as("9 days 23 hours 59 minutes left").isEqualTo(1);
        assertThat(token(line)).isEqualTo(NEW);
    }

    @Test
    void aTokenOfUnknownExpiryIsRefreshedOnceItIs24HoursOld() {
        long line = instagramLoginLine(Optional.empty());
        clock.set(T0.plus(Duration.ofHours(23)));
        refresher(stores).run();
        assertThat(refreshCalls()).isZero();

        clock.set(T0.plus(Duration.ofHours(25)));
        refresher(stores).run();

        assertThat(refreshCalls()).isEqualTo(1);
        assertThat(stores.lines().find(line).orElseThrow().tokenExpiresAtMillis())
                .contains(clock.millis() + LIFETIME_SECONDS * 1000);
    }

    @Test
    void aTokenTheOperatorReplacesCountsFromItsReplacementWithItsExpiryUnknown() {
        long line = instagramLoginLine(Optional.of(T0.plus(Duration.ofDays(5))));
        clock.set(T0.plus(Duration.ofDays(1)));
        stores.lines().update(line, new LineChanges(Optional.of(new PageAccessToken(OPERATORS)), Optional.empty(),
                Optional.empty()));
        Line replaced = stores.lines().find(line).orElseThrow();
        assertThat(replaced.tokenIssuedAtMillis()).contains(clock.millis());
        assertThat(replaced.tokenExpiresAtMillis()).isEmpty();

        clock.advance(Duration.ofHours(23));
        refresher(stores).run();
        assertThat(refreshCalls()).as("the operator's token is 23 hours old").isZero();

        clock.advance(Duration.ofHours(2));
        refresher(stores).run();
        instagram.verify(1, getRequestedFor(urlPathEqualTo(REFRESH)).withQueryParam("access_token", equalTo(OPERATORS)));
        assertThat(token(line)).isEqualTo(NEW);
    }

    @Test
    void pageLinesAndInactiveLinesAreNeverRefreshed() {
        stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.of(new PageAccessToken(OLD)),
                Optional.of("17841400000000001"), Optional.empty(), true, false));
        stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.of(new PageAccessToken(OLD)),
                Optional.of("17841400000000002"), Optional.empty(), false, false, LineLogin.INSTAGRAM, Optional.empty()));
        clock.set(T0.plus(Duration.ofDays(30)));

        refresher(stores).run();

        assertThat(refreshCalls()).isZero();
    }

    @Test
    void aRefreshMetaRefusesMakesTheLineTokenRejectedAndOneThatWorksAfterwardsMakesItOk() {
        long line = instagramLoginLine(Optional.of(T0.plus(Duration.ofDays(5))));
        answersWithAnError(400, MetaSamples.error(190, 460, "OAuthException",
                "Error validating access token: The session has been invalidated because the user changed their password",
                "AbCdEf123"));
        clock.set(T0.plus(Duration.ofHours(25)));

        refresher(stores).run();

        Line refused = stores.lines().find(line).orElseThrow();
        assertThat(refused.health()).isEqualTo(LineHealth.TOKEN_REJECTED);
        assertThat(refused.healthReason().orElseThrow()).startsWith("token refresh refused: Meta error 190/460:");
        assertThat(refused.pageToken().orElseThrow().reveal()).as("the old token stays").isEqualTo(OLD);
        assertThat(lineStatusEvents()).singleElement().satisfies(e -> {
            assertThat(e.lineId()).contains(line);
            assertThat(e.state()).contains("token_rejected");
            assertThat(e.notice().reason().orElseThrow()).contains("190/460").doesNotContain(OLD);
        });
        assertThat(stores.lines().tokens().refreshError(line).orElseThrow()).contains("190/460");

        answersWithTheNewToken(0);
        clock.advance(Duration.ofMinutes(30));
        refresher(stores).run();
        assertThat(refreshCalls()).as("backing off for an hour").isEqualTo(1);

        clock.advance(Duration.ofMinutes(31));
        refresher(stores).run();
        assertThat(refreshCalls()).isEqualTo(2);
        assertThat(stores.lines().find(line).orElseThrow().health()).isEqualTo(LineHealth.OK);
        assertThat(token(line)).isEqualTo(NEW);
        assertThat(healthEvents()).containsExactly("unknown->token_rejected", "token_rejected->ok");
    }

    @Test
    void aRateLimitOnTheRefreshSaysNothingOfTheToken() {
        long line = instagramLoginLine(Optional.of(T0.plus(Duration.ofDays(5))));
        answersWithAnError(400, MetaSamples.error(4, null, "OAuthException", "Application request limit reached",
                "AbC"));
        clock.set(T0.plus(Duration.ofHours(25)));

        refresher(stores).run();

        assertThat(refreshCalls()).isEqualTo(1);
        assertThat(stores.lines().find(line).orElseThrow().health()).isEqualTo(LineHealth.UNKNOWN);
        assertThat(healthEvents()).isEmpty();
        assertThat(stores.lines().tokens().refreshError(line).orElseThrow()).contains("Meta error 4");
    }

    @Test
    void anExpiredTokenIsTokenRejectedWithoutAskingMeta() {
        long line = instagramLoginLine(Optional.of(T0.plus(Duration.ofDays(2))));
        clock.set(T0.plus(Duration.ofDays(3)));

        refresher(stores).run();

        assertThat(refreshCalls()).isZero();
        Line expired = stores.lines().find(line).orElseThrow();
        assertThat(expired.health()).isEqualTo(LineHealth.TOKEN_REJECTED);
        assertThat(expired.healthReason().orElseThrow()).contains("expired at 2026-12-03T08:00:00Z")
                .contains("linegate line update " + line + " --page-token");
        assertThat(healthEvents()).containsExactly("unknown->token_rejected");
    }

    @Test
    void aRefreshedTokenThatCannotBeStoredLeavesTheOldOneAndIsTriedAgainWhenTheClaimLapses() throws SQLException {
        long line = instagramLoginLine(Optional.of(T0.plus(Duration.ofDays(5))));
        refuseTokenChanges(true);
        clock.set(T0.plus(Duration.ofHours(25)));

        refresher(stores).run();

        assertThat(refreshCalls()).isEqualTo(1);
        Line kept = stores.lines().find(line).orElseThrow();
        assertThat(kept.pageToken().orElseThrow().reveal()).isEqualTo(OLD);
        assertThat(kept.tokenExpiresAtMillis()).contains(T0.plus(Duration.ofDays(5)).toEpochMilli());
        assertThat(kept.health()).isEqualTo(LineHealth.UNKNOWN);

        refuseTokenChanges(false);
        clock.advance(Duration.ofMinutes(5));
        refresher(stores).run();
        assertThat(refreshCalls()).as("the claim still holds").isEqualTo(1);

        clock.advance(Duration.ofMinutes(6));
        refresher(stores).run();
        assertThat(refreshCalls()).isEqualTo(2);
        assertThat(token(line)).isEqualTo(NEW);
    }

    @Test
    void ofTwoNodesRefreshingAtOnceOneCallsMeta() throws Exception {
        long line = instagramLoginLine(Optional.of(T0.plus(Duration.ofDays(5))));
        answersWithTheNewToken(300);
        TokenRefresher first = refresher(stores);
        TokenRefresher second = refresher(openStores());
        clock.set(T0.plus(Duration.ofHours(25)));
        CountDownLatch go = new CountDownLatch(1);

        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
            await(go);
            first.run();
        });
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
            await(go);
            second.run();
        });
        go.countDown();
        CompletableFuture.allOf(a, b).get();

        assertThat(refreshCalls()).isEqualTo(1);
        assertThat(token(line)).isEqualTo(NEW);
        assertThat(healthEvents()).containsExactly("unknown->ok");
    }

    @Test
    void ofTwoNodesThatBothSeeALineDueExactlyOneClaimsItsRefreshAndTheClaimLapses() {
        long line = instagramLoginLine(Optional.of(T0.plus(Duration.ofDays(5))));
        Stores other = openStores();
        clock.set(T0.plus(Duration.ofHours(25)));
        long now = clock.millis();
        long issuedBefore = now - Duration.ofHours(24).toMillis();
        long expiringBefore = now + Duration.ofDays(10).toMillis();
        assertThat(stores.lines().tokens().dueForRefresh(now, issuedBefore, expiringBefore)).hasSize(1);
        assertThat(other.lines().tokens().dueForRefresh(now, issuedBefore, expiringBefore)).hasSize(1);

        boolean first = stores.lines().tokens().claimRefresh(line, now, now + 600_000);
        boolean second = other.lines().tokens().claimRefresh(line, now, now + 600_000);

        assertThat(List.of(first, second)).containsExactly(true, false);
        assertThat(other.lines().tokens().dueForRefresh(now, issuedBefore, expiringBefore)).as("claimed").isEmpty();
        assertThat(other.lines().tokens().claimRefresh(line, now + 600_000, now + 1_200_000)).as("lapsed").isTrue();
    }

    @Test
    void aTokenTheOperatorSetsDuringARefreshIsKept() throws Exception {
        long line = instagramLoginLine(Optional.of(T0.plus(Duration.ofDays(5))));
        answersWithTheNewToken(1500);
        clock.set(T0.plus(Duration.ofHours(25)));
        TokenRefresher refresher = refresher(stores);

        CompletableFuture<Void> refreshing = CompletableFuture.runAsync(refresher);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (refreshCalls() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        stores.lines().update(line, new LineChanges(Optional.of(new PageAccessToken(OPERATORS)), Optional.empty(),
                Optional.empty()));
        refreshing.get();

        assertThat(refreshCalls()).isEqualTo(1);
        assertThat(token(line)).isEqualTo(OPERATORS);
    }

    @Test
    void noTokenReachesALogLineWhateverBecomesOfTheRefresh() throws SQLException {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try {
            long line = instagramLoginLine(Optional.of(T0.plus(Duration.ofDays(5))));
            clock.set(T0.plus(Duration.ofHours(25)));
            refuseTokenChanges(true);
            refresher(stores).run(); // refreshed, but cannot be stored
            refuseTokenChanges(false);
            instagram.resetMappings();
            instagram.stubFor(get(urlPathEqualTo(REFRESH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            clock.advance(Duration.ofMinutes(11));
            refresher(stores).run(); // no answer
            answersWithAnError(400, MetaSamples.error(190, 460, "OAuthException", "Error validating access token", "A1"));
            clock.advance(Duration.ofMinutes(61));
            refresher(stores).run(); // refused
            answersWithTheNewToken(0);
            clock.advance(Duration.ofMinutes(61));
            refresher(stores).run(); // refreshed
            assertThat(token(line)).isEqualTo(NEW);
            assertThat(refreshCalls()).isEqualTo(4);
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).isNotEmpty().allSatisfy(e -> assertThat(e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .doesNotContain(OLD).doesNotContain(NEW));
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "");
    }

    private String rawSealedToken(long line) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT page_token_sealed FROM lines WHERE id = " + line)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A trigger that makes every change of a stored token fail, as a full disk or a lost connection would. */
    private void refuseTokenChanges(boolean refuse) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            if (db == TestDb.SQLITE) {
                s.execute(refuse ? """
                        CREATE TRIGGER refuse_token_change BEFORE UPDATE OF page_token_sealed ON lines
                        BEGIN SELECT RAISE(ABORT, 'disk full'); END""" : "DROP TRIGGER refuse_token_change");
            } else if (refuse) {
                s.execute("""
                        CREATE FUNCTION refuse_token_change() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN RAISE EXCEPTION 'disk full'; END $$""");
                s.execute("""
                        CREATE TRIGGER refuse_token_change BEFORE UPDATE OF page_token_sealed ON lines
                        FOR EACH ROW EXECUTE FUNCTION refuse_token_change()""");
            } else {
                s.execute("DROP TRIGGER refuse_token_change ON lines");
            }
        }
    }
}
