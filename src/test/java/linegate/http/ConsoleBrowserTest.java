package linegate.http;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import linegate.Main;
import linegate.events.CallbackSecrets;
import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.events.EventDelivery;
import linegate.testing.Browser;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The console in a real browser (Debian's headless Chromium) against the real server: signing in with an admin token,
 * each page with real data (sends answered by WireMock as Meta, a CRM whose callbacks fail until their events are
 * dead), and what support staff do there. Each page's screenshot is written to target/console/, or with
 * {@code -Dlinegate.screenshots=docs/console} to the README's pictures ("Console"), so that a test run leaves the
 * committed pictures alone.
 * One browser and one server for the class; the pages' data does not depend on the database, which the admin API's
 * own tests cover on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    private static final String XSS = "<img src=x onerror=alert(1)>";
    private static final Path SCREENSHOTS = Path.of(System.getProperty("linegate.screenshots", "target/console"));
    private static final String SEND = "/api/v2/MakeInstagram.php";

    private WireMockServer crm;
    private Gateway gw;
    private Browser browser;
    private String adminToken;
    private long rejectedLine;

    @BeforeAll
    void start(@TempDir Path tmp) {
        crm = new WireMockServer(wireMockConfig().dynamicPort());
        crm.start();
        crmAnswers(500);
        // callbacks to this machine, retried quickly and given up after a second: dead events within the test
        gw = Gateway.start(TestDb.SQLITE, tmp.resolve("db"), Map.of("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true",
                "LINEGATE_CALLBACK_RETRY_BASE_MS", "50", "LINEGATE_CALLBACK_MAX_AGE", "PT1S"));
        gw.stores().callbacks().setUrl(gw.accountId, crm.baseUrl() + "/hook", CallbackSecrets.generate());
        seedAnOtherAccountsLog(gw.stores().accounts().create("Birch Street Clinic"));
        adminToken = adminTokenFromTheCommandLine();

        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        String[] texts = {"Your appointment is confirmed for Tuesday 10:00", "Thanks for reaching out — how can we help?",
            "Your order #4411 has shipped", "See you tomorrow!", "We are open 9–17 on weekdays"};
        for (int i = 0; i < 50; i++) { // with the two below, more than a page (50)
            send("order-" + (1001 + i), "12544777777729" + (10 + i % 7), texts[i % texts.length]);
        }
        send("order-2000", "1254477777772917", XSS);
        // one answer with Meta's usage headers: the Lines page shows them (business near the 95% that would pause)
        gw.meta().stubFor(post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-App-Usage", "{\"call_count\":12,\"total_cputime\":3,\"total_time\":5}")
                .withHeader("X-Business-Use-Case-Usage", "{\"" + Gateway.IG_ACCOUNT_ID + "\":[{\"type\":\"instagram\","
                        + "\"call_count\":85,\"total_cputime\":20,\"total_time\":30,"
                        + "\"estimated_time_to_regain_access\":0}]}")
                .withBody(MetaSamples.read("ig-send-success.doc.json"))));
        send("order-2002", "1254477777772918", "Thanks, we will call you back");
        rejectedLine = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken("EAAGexpiredToken0123456789")), Optional.of("17841400000000077"),
                Optional.empty(), true, false));
        gw.metaAnswers(400, MetaSamples.error(190, 463, "OAuthException", "Error validating access token: Session has"
                + " expired on Tuesday, 01-Dec-26 09:00:00 PST.", "AbCdEfGh123"));
        gw.postJson(SEND, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + rejectedLine
                + ",\"dest\":\"1254477777772999\",\"mdata\":\"Hello again\",\"msg_id\":\"order-2001\"}");
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        waitFor(() -> !dead().isEmpty(), "the account's first dead event");
        browser = Browser.start(tmp.resolve("profile"));
    }

    @AfterAll
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (gw != null) {
                gw.close();
            }
            crm.stop();
        }
    }

    @Test
    void signsInWithAnAdminTokenIntoAnHttpOnlySessionAndShowsTheAccounts() {
        browser.open(gw.baseUrl() + "/console/");
        signInWith("lga_not-a-real-token");
        assertThat(browser.find("#signin-error").getText()).contains("not valid");
        browser.screenshot(SCREENSHOTS.resolve("sign-in.png"));

        signInWith(adminToken);
        WebElement acme = browser.find("#accounts-list tr[data-account='" + gw.accountId + "']");
        assertThat(acme.getText()).contains("Acme Dental", "set", crm.baseUrl() + "/hook");
        browser.until(d -> acme.findElement(By.cssSelector("td:nth-child(4)")).getText().matches("\\d+ dead"),
                "the dead events' count");
        assertThat(browser.find("#accounts-list").getText()).contains("Birch Street Clinic", "none");
        browser.screenshot(SCREENSHOTS.resolve("accounts.png"));

        Cookie session = browser.driver().manage().getCookies().stream().findFirst().orElseThrow();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(browser.script("return document.cookie")).isEqualTo("");
        assertThat(browser.script("return localStorage.length + sessionStorage.length")).isEqualTo(0L);
        assertThat(browser.driver().getPageSource()).doesNotContain(adminToken);
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicyThatTheBrowserEnforces() {
        assertThat(gw.get("/console/").headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'", "frame-ancestors 'none'", "require-trusted-types-for 'script'")
                .doesNotContain("unsafe-inline");
        page("accounts");
        browser.consoleMessages();
        // Trusted Types refuse the script's text outright; an inline script given as a text node is refused by
        // script-src when it would run
        Object typed = browser.script("const s = document.createElement('script');"
                + " try { s.textContent = 'window.inlineRan = 1'; } catch (e) { return 'refused: ' + e.message; }"
                + " document.head.append(s); return window.inlineRan === 1");
        assertThat(typed).as("markup or script from a string").asString().startsWith("refused: ")
                .contains("TrustedScript");
        Object ran = browser.script("const s = document.createElement('script');"
                + " s.append(document.createTextNode('window.inlineRan = 1'));"
                + " try { document.head.append(s); } catch (e) { return 'refused: ' + e.message; }"
                + " return window.inlineRan === 1");
        assertThat(ran).as("an inline script ran").isNotEqualTo(true);
        assertThat(browser.consoleMessages()).anySatisfy(m -> assertThat(m)
                .containsAnyOf("Content Security Policy", "TrustedScript"));
        Object html = browser.script("try { document.body.insertAdjacentHTML('beforeend', '<b id=injected>x</b>');"
                + " } catch (e) { return 'refused: ' + e.message; } return 'inserted'");
        assertThat(html).as("a string as markup").asString().startsWith("refused: ");
        assertThat(browser.consoleMessages()).anySatisfy(m -> assertThat(m).contains("TrustedHTML"));
        for (String p : List.of("lines", "messages", "events", "tokens", "accounts")) {
            page(p);
            browser.find("#main table, #main form");
            assertThat(browser.consoleMessages()).as("page " + p)
                    .noneSatisfy(m -> assertThat(m).containsAnyOf("Content Security Policy", "Uncaught", "Trusted"));
        }
    }

    @Test
    void linesShowHealthAndArePausedResumedAndGivenAPageToken() {
        page("lines");
        WebElement rejected = browser.find("#lines-list tr[data-line='" + rejectedLine + "']");
        assertThat(rejected.getText()).contains("token_rejected", "no reading yet");
        WebElement line = browser.find("#lines-list tr[data-line='" + gw.lineId + "']");
        assertThat(line.getText()).contains("active", "ok", "app 12% · business 85%");
        assertThat(line.findElements(By.cssSelector(".usage .badge-warn"))).as("the figures at 80% or more")
                .extracting(WebElement::getText).containsExactly("business 85%");

        line.findElement(By.cssSelector("button[data-action='pause']")).click();
        browser.until(d -> lineRow(gw.lineId).getText().contains("paused by an operator"), "the line paused");
        assertThat(sendStatus("order-4001")).as("a send on the paused line").isEqualTo(260);
        browser.screenshot(SCREENSHOTS.resolve("lines.png"));
        lineRow(gw.lineId).findElement(By.cssSelector("button[data-action='resume']")).click();
        browser.until(d -> !lineRow(gw.lineId).getText().contains("paused"), "the line resumed");
        waitFor(() -> sendStatus("order-4002-" + System.nanoTime()) == 200, "sends on the resumed line");

        WebElement token = lineRow(rejectedLine).findElement(By.cssSelector("input[name='page_token']"));
        token.sendKeys("EAAGfreshToken9876543210");
        lineRow(rejectedLine).findElement(By.cssSelector("form button")).click();
        browser.until(d -> d.findElement(By.id("flash")).getText().contains("page token set"),
                "the token set");
        assertThat(gw.stores().lines().find(rejectedLine).orElseThrow().pageToken().orElseThrow().reveal())
                .isEqualTo("EAAGfreshToken9876543210");
        assertThat(lineRow(rejectedLine).findElement(By.cssSelector("input[name='page_token']")).getAttribute("value"))
                .isEmpty();
    }

    @Test
    void messagesShowCustomersTextAsTextAreFoundByMsgIdAndFollowNewOnesWithoutAReload() {
        page("messages");
        WebElement xss = browser.find("#messages-list tr[data-cdls-id='" + cdlsIdOf("order-2000") + "']");
        assertThat(xss.findElement(By.cssSelector("td.text-cell")).getText()).isEqualTo(XSS);
        assertThat(browser.all("#main img")).isEmpty();
        assertNoAlert();
        List<Long> shown = browser.all("#messages-list tbody tr").stream()
                .map(r -> Long.parseLong(r.getDomAttribute("data-cdls-id"))).toList();
        assertThat(shown).hasSize(50).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        browser.find("#messages-list .pager button:last-child").click();
        browser.until(d -> d.findElement(By.cssSelector("#messages-list .pager")).getText().contains("Page 2"),
                "the second page");
        List<Long> older = browser.all("#messages-list tbody tr").stream()
                .map(r -> Long.parseLong(r.getDomAttribute("data-cdls-id"))).toList();
        assertThat(older).hasSize(50).allSatisfy(id -> assertThat(id).isLessThan(shown.getLast()))
                .isSortedAccordingTo((a, b) -> Long.compare(b, a));
        browser.find("#messages-list .pager button:first-child").click();
        xss = browser.find("#messages-list tr[data-cdls-id='" + cdlsIdOf("order-2000") + "']");

        browser.screenshot(SCREENSHOTS.resolve("messages.png"));
        xss.click();
        assertThat(browser.find("#message-detail").getText()).contains(XSS, "order-2000");
        assertThat(browser.all("#main img")).isEmpty();
        assertNoAlert();

        browser.script("window.notReloaded = true");
        send("order-3001", "1254477777772911", "A new message, while the page is open");
        WebElement fresh = browser.find("#messages-list tr.fresh[data-cdls-id='" + cdlsIdOf("order-3001") + "']");
        assertThat(fresh.getText()).contains("A new message");
        assertThat(browser.script("return window.notReloaded === true")).isEqualTo(true);

        WebElement msgId = browser.find("#filter-msg_id");
        msgId.sendKeys("order-1002");
        msgId.submit();
        browser.until(d -> d.findElements(By.cssSelector("#messages-list tbody tr")).size() == 1,
                "one message found");
        assertThat(browser.find("#messages-list tbody tr").getText()).contains("order-1002", "Thanks for reaching out");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/messages?msg_id=order-1002");
    }

    @Test
    void deadEventsAreListedAndRedelivered() {
        page("events");
        EventDelivery first = dead().getFirst();
        WebElement row = browser.find("#events-list tr[data-event='" + first.eventId() + "']");
        assertThat(row.getText()).contains("dead", first.type());
        browser.screenshot(SCREENSHOTS.resolve("events.png"));

        crmAnswers(200);
        row.findElement(By.cssSelector("button[data-action='redeliver']")).click();
        browser.until(d -> d.findElement(By.id("flash")).getText().contains("will be posted again"),
                "the redelivery accepted");
        waitFor(() -> crm.findAll(postRequestedFor(urlEqualTo("/hook"))).stream().map(LoggedRequest::getBodyAsString)
                .anyMatch(b -> b.contains(first.eventId()) && crmAnsweredOk()), "the event posted again");
        waitFor(() -> dead().stream().noneMatch(e -> e.eventId().equals(first.eventId())), "the event no longer dead");

        page("events");
        List<String> shown = browser.all("#events-list tbody tr").stream().map(r -> r.getDomAttribute("data-event"))
                .toList();
        assertThat(shown).hasSizeGreaterThan(1).doesNotContain(first.eventId());
        browser.find("button[data-action='redeliver-shown']").click();
        browser.until(d -> d.findElement(By.id("flash")).getText().contains(shown.size() + " events will be posted"),
                "the page's dead events accepted");
        waitFor(() -> dead().stream().noneMatch(e -> shown.contains(e.eventId())), "the page's events no longer dead");
    }

    @Test
    void aCreatedTokenIsShownOnceWorksAndIsRevoked() {
        page("tokens", "account=" + gw.accountId);
        browser.find("#token-label").sendKeys("helpdesk");
        browser.find("#token-label").submit();
        String token = browser.find("#token-value").getDomProperty("value");
        assertThat(token).startsWith("lgt_");
        assertThat(status(token)).isNotEqualTo(401);
        browser.screenshot(SCREENSHOTS.resolve("tokens.png"));

        page("tokens", "account=" + gw.accountId);
        WebElement row = browser.until(d -> d.findElements(By.cssSelector("#tokens-list tbody tr")).stream()
                .filter(r -> r.getText().contains("helpdesk")).findFirst().orElse(null), "the new token listed");
        assertThat(browser.driver().getPageSource()).doesNotContain(token);
        WebElement revoke = row.findElement(By.cssSelector("button[data-action='revoke']"));
        revoke.click();
        assertThat(revoke.getText()).isEqualTo("Confirm revoke");
        revoke.click();
        browser.until(d -> d.findElements(By.cssSelector("#tokens-list tbody tr")).stream()
                .anyMatch(r -> r.getText().contains("helpdesk") && r.getText().contains("revoked")),
                "the token revoked");
        assertThat(status(token)).isEqualTo(401);
    }

    @Test
    void anAccountsTokensArePagedByTheServersCursor() {
        long account = gw.stores().accounts().create("Cedar Lane Dental");
        List<Long> made = java.util.stream.IntStream.rangeClosed(1, 60)
                .mapToObj(i -> gw.stores().tokens().create(account, "desk-" + i).id()).toList();

        page("tokens", "account=" + account);
        browser.until(d -> tokenIdsShown().size() == 50, "a page of tokens");
        List<Long> first = tokenIdsShown();
        browser.find("#tokens-list .pager button:last-child").click();
        browser.until(d -> d.findElement(By.cssSelector("#tokens-list .pager")).getText().contains("Page 2"),
                "the second page");

        assertThat(first).as("oldest first, as the API lists them").isEqualTo(made.subList(0, 50));
        assertThat(tokenIdsShown()).as("the ten after them").isEqualTo(made.subList(50, 60));
        assertThat(browser.find("#tokens-list .pager button:last-child").isEnabled()).as("no third page").isFalse();
    }

    private List<Long> tokenIdsShown() {
        return browser.all("#tokens-list tbody tr[data-token]").stream()
                .map(r -> Long.parseLong(r.getDomAttribute("data-token"))).toList();
    }

    @Test
    void signingOutEndsTheSession() {
        page("accounts");
        browser.find("#signout").click();
        browser.find("#signin-token");
        browser.open("about:blank");
        browser.open(gw.baseUrl() + "/console/#/accounts");
        assertThat(browser.find("#signin-token").isDisplayed()).isTrue();
        assertThat(browser.all("#accounts-list")).isEmpty();
    }

    /** Loads the console afresh on a page, signing in first where the browser has no session. */
    private void page(String name, String... query) {
        browser.open("about:blank"); // a new address that differs only in its #fragment would not load the page again
        browser.open(gw.baseUrl() + "/console/#/" + name + (query.length == 0 ? "" : "?" + String.join("&", query)));
        browser.until(d -> d.findElement(By.id("signin")).isDisplayed() || d.findElement(By.id("app")).isDisplayed(),
                "the console to start");
        if (browser.driver().findElement(By.id("signin")).isDisplayed()) {
            signInWith(adminToken);
        }
        browser.until(d -> name.equals(d.findElement(By.id("main")).getDomAttribute("data-page")),
                "page " + name);
    }

    private void signInWith(String token) {
        WebElement input = browser.find("#signin-token");
        input.clear();
        input.sendKeys(token);
        browser.find("#signin-submit").click();
        browser.until(d -> d.findElement(By.id("app")).isDisplayed()
                || d.findElement(By.id("signin-error")).isDisplayed(), "the sign-in's answer");
    }

    /**
     * 100,000 older messages of another account, written straight into the log (as years of sends would have left
     * them): the console pages through them by the server's cursor, never holding more than a page.
     */
    private void seedAnOtherAccountsLog(long account) {
        long line = gw.stores().lines().create(new NewLine(account, LineClass.MESSENGER,
                Optional.of(new PageAccessToken("EAAGbirchToken0123456789")), Optional.empty(),
                Optional.of("104000000000042"), true, false));
        long start = System.currentTimeMillis() - Duration.ofDays(30).toMillis();
        int rows = gw.execute("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
                INSERT INTO message_log (account_id, line_id, channel, direction, peer_id, mtype, mdata, msg_id, state,
                                         created_at, updated_at, sent_at, delivered_at, origin)
                SELECT %d, %d, 'messenger', 'out', '2470000000' || (i %% 700), 'text', 'Reminder number ' || i,
                       'bulk-' || i, 'delivered', %d + i * 20000, %d + i * 20000, %d + i * 20000, %d + i * 20000 + 900,
                       'api'
                FROM n""".formatted(account, line, start, start, start, start));
        assertThat(rows).isEqualTo(100_000);
    }

    /** An admin token made the way an operator makes one: 'linegate admin-token create' on the gateway's database. */
    private String adminTokenFromTheCommandLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            code = Main.run(new String[]{"admin-token", "create", "--label", "support desk"}, gw.env(), o, System.err);
        }
        assertThat(code).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        int at = printed.indexOf("lga_");
        return printed.substring(at, printed.indexOf('"', at));
    }

    private WebElement lineRow(long id) {
        return browser.find("#lines-list tr[data-line='" + id + "']");
    }

    private void assertNoAlert() {
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    private void send(String msgId, String dest, String text) {
        String body = "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + gw.lineId + ",\"dest\":\"" + dest + "\",\"msg_id\":\""
                + msgId + "\",\"mdata\":" + json(text) + "}";
        assertThat(gw.postJson(SEND, body).statusCode()).as(msgId).isEqualTo(200);
    }

    /** A direct send's status_code on the gateway's line. */
    private int sendStatus(String msgId) {
        return gw.postJson(SEND, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + gw.lineId
                + ",\"dest\":\"1254477777772910\",\"msg_id\":\"" + msgId + "\",\"mdata\":\"Are you still there?\"}")
                .statusCode();
    }

    private long cdlsIdOf(String msgId) {
        return gw.rows().stream().filter(r -> r.msgId().equals(Optional.of(msgId))).findFirst().orElseThrow().id();
    }

    private int status(String tsid) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v2/MessageStatus.php?cdls_id=1"))
                .header("Authorization", "Bearer " + tsid).GET().build()).status();
    }

    private List<EventDelivery> dead() {
        return gw.stores().deliveries().list(Optional.of(gw.accountId), Optional.of("dead"), 100);
    }

    private void crmAnswers(int status) {
        crm.resetAll();
        crm.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(status)));
    }

    private boolean crmAnsweredOk() {
        return crm.getAllServeEvents().stream().anyMatch(e -> e.getResponse().getStatus() == 200);
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void waitFor(java.util.function.BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 20 s for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
