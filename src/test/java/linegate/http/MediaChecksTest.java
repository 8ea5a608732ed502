package linegate.http;

import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MediaServer;
import linegate.testing.MediaServer.Answer;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.time.Duration;
import java.util.Map;

import static linegate.http.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Media checks before Meta (docs/api.md, "Media checks"), through the real server on both databases, against a real
 * media server on this machine: HEAD and ranged GET, types, sizes at Meta's limits, error statuses, redirects and
 * their limit, silence, the cache. The media server is on 127.0.0.1, so these run with
 * LINEGATE_MEDIA_ALLOW_PRIVATE=true; MediaPrivateAddressesTest runs without it.
 */
class MediaChecksTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final String IGSID = "1254477777772919";
    private static final long MB = 1024 * 1024;
    /** A message id as Meta gives it (Meta's reaction sample reacts to one like it). */
    private static final String MID = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjEyNTAyNDAyNjQwOTMwOjM0MDI4MjM2Njg0MTcxMDMwMT"
            + "I0NDI1ODE4NzUxOTk3OTcyODI5MjozMjM4NzQ4MDk1NTU2NDIxMjIzNDE1NjY3NTg0NzY4NDA5NgZDZD";
    static final int TIMEOUT_MS = 1000;

    private MediaServer media;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Gateway.env("LINEGATE_MEDIA_CHECK", "true", "LINEGATE_MEDIA_ALLOW_PRIVATE", "true",
                "LINEGATE_MEDIA_CHECK_TIMEOUT_MS", Integer.toString(TIMEOUT_MS));
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void startMedia() {
        media = MediaServer.start("127.0.0.1");
    }

    @BeforeEach
    void reset() {
        media.reset();
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
    }

    @AfterParameterizedClassInvocation
    void stopMedia() {
        media.close();
    }

    @Test
    void sendsAPngThatAnswersHeadWithItsTypeAndSize() {
        media.answer("/menu.png", Answer.file("image/png", 120_000));

        Gateway.Response r = send("image", media.url("/menu.png"));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
        assertThat(media.hits("/menu.png")).extracting(MediaServer.Hit::method).containsExactly("HEAD");
    }

    @Test
    void answers245WithoutCallingMetaForATypeInstagramDoesNotTake() {
        media.answer("/photo.webp", Answer.file("image/webp; charset=binary", 50_000));

        Gateway.Response r = send("image", media.url("/photo.webp"));

        assertNotSent(r, 245, "Media not accepted");
        assertThat(detail(r)).contains("image/webp").contains("image/png").contains("image/jpeg");
    }

    @Test
    void takesAnImageOfExactly8MbAndRefusesOneByteMore() {
        media.answer("/limit.jpg", Answer.file("image/jpeg", 8 * MB));
        media.answer("/over.jpg", Answer.file("image/jpeg", 8 * MB + 1));

        assertThat(send("image", media.url("/limit.jpg")).statusCode()).isEqualTo(200);
        Gateway.Response over = send("image", media.url("/over.jpg"));

        assertNotSent(over, 245, "Media not accepted", 1);
        assertThat(detail(over)).contains(Long.toString(8 * MB + 1)).contains("8 MB");
    }

    @Test
    void takesAVideoOf25MbAndRefusesOneByteMore() {
        media.answer("/limit.mp4", Answer.file("video/mp4", 25 * MB));
        media.answer("/over.mp4", Answer.file("video/mp4", 25 * MB + 1));

        assertThat(send("video", media.url("/limit.mp4")).statusCode()).isEqualTo(200);
        Gateway.Response over = send("video", media.url("/over.mp4"));

        assertNotSent(over, 245, "Media not accepted", 1);
        assertThat(detail(over)).contains("25 MB");
    }

    @Test
    void answers244ForAnErrorStatusAndSaysWhich() {
        media.answer("/gone.png", Answer.status(404));

        Gateway.Response r = send("image", media.url("/gone.png"));

        assertNotSent(r, 244, "Media not reachable");
        assertThat(detail(r)).contains("HTTP 404");
    }

    @Test
    void asksWithARangedGetWhereHeadIsRefusedAndReadsTheSizeFromContentRange() {
        media.answer("/signed.mp4", Answer.file("video/mp4", 30 * MB).headRefused(403));
        media.answer("/ok.mp4", Answer.file("video/mp4", 3 * MB).headRefused(405));

        Gateway.Response big = send("video", media.url("/signed.mp4"));
        Gateway.Response ok = send("video", media.url("/ok.mp4"));

        assertNotSent(big, 245, "Media not accepted", 1);
        assertThat(detail(big)).contains(Long.toString(30 * MB));
        assertThat(ok.statusCode()).as(ok.raw()).isEqualTo(200);
        assertThat(media.hits("/signed.mp4")).extracting(MediaServer.Hit::method, MediaServer.Hit::range)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("HEAD", null),
                        org.assertj.core.groups.Tuple.tuple("GET", "bytes=0-0"));
    }

    @Test
    void asksWithARangedGetWhenHeadStatesNoSize() {
        media.answer("/nosize.png", Answer.file("image/png", 9 * MB).sizeOnlyOnRangedGet());

        Gateway.Response r = send("image", media.url("/nosize.png"));

        assertNotSent(r, 245, "Media not accepted");
        assertThat(media.hits("/nosize.png")).extracting(MediaServer.Hit::method).containsExactly("HEAD", "GET");
    }

    @Test
    void followsThreeRedirectsCheckingEachAndRefusesAFourth() {
        media.answer("/r1", Answer.redirect(302, media.url("/r2")));
        media.answer("/r2", Answer.redirect(301, "/r3")); // relative, resolved against the redirecting URL
        media.answer("/r3", Answer.redirect(307, media.url("/file.png")));
        media.answer("/file.png", Answer.file("image/png", 1000));
        media.answer("/r0", Answer.redirect(308, media.url("/r1")));

        assertThat(send("image", media.url("/r1")).statusCode()).isEqualTo(200);
        Gateway.Response four = send("image", media.url("/r0"));

        assertNotSent(four, 244, "Media not reachable", 1);
        assertThat(detail(four)).contains("more than 3");
    }

    @Test
    void answers244ForARedirectLoop() {
        media.answer("/loop", Answer.redirect(302, "/loop?again=1"));

        Gateway.Response r = send("image", media.url("/loop"));

        assertNotSent(r, 244, "Media not reachable");
        assertThat(media.hits("/loop")).as("the first request and three redirects").hasSize(4);
    }

    @Test
    void answers244ForARedirectToAnotherSchemeWithoutFollowingIt() {
        media.answer("/ftp", Answer.redirect(302, "ftp://files.example.com/menu.png"));

        Gateway.Response r = send("image", media.url("/ftp"));

        assertNotSent(r, 244, "Media not reachable");
        assertThat(detail(r)).contains("http");
    }

    @Test
    void aSilentMediaServerCostsTheSendAtMostTheCheckTimeBound() {
        media.answer("/slow.png", Answer.silent(Duration.ofSeconds(20)));

        long started = System.nanoTime();
        Gateway.Response r = send("image", media.url("/slow.png"));
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertNotSent(r, 244, "Media not reachable");
        assertThat(detail(r)).contains("no answer within " + TIMEOUT_MS + " ms");
        // the bound, with room for a loaded machine: far below the 20 s the server would have taken
        assertThat(tookMs).isLessThan(TIMEOUT_MS + 4000);
    }

    @Test
    void asksEachUrlOnceForManySends() {
        media.answer("/logo.png", Answer.file("image/png", 2000));

        for (int i = 0; i < 3; i++) {
            assertThat(send("image", media.url("/logo.png")).statusCode()).isEqualTo(200);
        }

        assertThat(media.hits("/logo.png")).hasSize(1);
        assertThat(gw.get("/metrics").raw()).containsPattern("linegate_media_cache_hits_total [1-9]");
    }

    @Test
    void neverEchoesTheUrlsQueryOrUserInfo() {
        media.answer("/private.png", Answer.redirect(302, media.url("/gone.png") + "?token=S3CRET-REDIRECT"));
        media.answer("/gone.png", Answer.status(410));

        Gateway.Response r = send("image", media.url("/private.png").replace("http://", "http://user:S3CRET-PASS@")
                + "?X-Amz-Signature=S3CRET-SIG");

        assertNotSent(r, 244, "Media not reachable");
        assertThat(r.raw()).contains("HTTP 410").doesNotContain("S3CRET").doesNotContain("/private.png")
                .doesNotContain("/gone.png");
    }

    @Test
    void aQueuedSendWithMediaMetaWouldNotTakeFailsWith245WithoutCallingMeta() throws Exception {
        media.answer("/doc.pdf", Answer.file("application/pdf", 1000));

        Gateway.Response queued = gw.postJson(PATH, gw.sendJson("\"dest\":\"" + IGSID
                + "\",\"mtype\":\"image\",\"async\":1,\"mdata\":\"" + media.url("/doc.pdf") + "\""));

        assertThat(queued.statusCode()).as(queued.raw()).isEqualTo(207);
        long cdlsId = queued.ret().path("cdls_id").asLong();
        LogRow row = awaitFinal(cdlsId);
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.error().orElseThrow().statusCode()).isEqualTo(245);
        assertThat(MetaStubs.graphCalls(gw.meta())).isZero();
    }

    @Test
    void checksEveryImageOfSeveralAndRefusesThemAllForOneBadUrlWithoutCallingMeta() {
        media.answer("/a.png", Answer.file("image/png", 2000));
        media.answer("/b.webp", Answer.file("image/webp", 2000));
        media.answer("/c.png", Answer.status(404));

        Gateway.Response badType = sendImages(media.url("/a.png"), media.url("/b.webp"));
        Gateway.Response unreachable = sendImages(media.url("/a.png"), media.url("/c.png"));

        assertNotSent(badType, 245, "Media not accepted");
        assertThat(detail(badType)).contains("image/webp");
        assertNotSent(unreachable, 244, "Media not reachable");
        assertThat(detail(unreachable)).contains("HTTP 404");
        assertThat(media.hits("/b.webp")).isNotEmpty();
        assertThat(media.hits("/c.png")).isNotEmpty();
    }

    @Test
    void sendsSeveralImagesOnceEachAnswersAsMetaTakes() {
        media.answer("/a.png", Answer.file("image/png", 2000));
        media.answer("/b.jpg", Answer.file("image/jpeg", 3000));
        media.answer("/c.gif", Answer.file("image/gif", 4000));

        Gateway.Response r = sendImages(media.url("/a.png"), media.url("/b.jpg"), media.url("/c.gif"));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
        for (String path : new String[] {"/a.png", "/b.jpg", "/c.gif"}) {
            assertThat(media.hits(path)).as(path).extracting(MediaServer.Hit::method).containsExactly("HEAD");
        }
    }

    @Test
    void checksAFileOnInstagramAsThePdfInstagramTakes() {
        media.answer("/invoice.pdf", Answer.file("application/pdf", 200_000));
        media.answer("/invoice.html", Answer.file("text/html; charset=utf-8", 2000));

        Gateway.Response pdf = send("file", media.url("/invoice.pdf"));
        Gateway.Response page = send("file", media.url("/invoice.html"));

        assertThat(pdf.statusCode()).as(pdf.raw()).isEqualTo(200);
        assertNotSent(page, 245, "Media not accepted", 1);
        assertThat(detail(page)).contains("text/html").contains("application/pdf");
    }

    @Test
    void aReactionHasNoMediaToCheck() {
        gw.metaAnswers(200, MetaSamples.read("ig-react-unreact-success.doc.json"));

        Gateway.Response r = gw.postJson(PATH, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mtype\":\"reaction\","
                + "\"mdata\":\"love\",\"reply_to\":\"" + MID + "\""));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private Gateway.Response send(String mtype, String url) {
        return gw.postJson(PATH, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mtype\":\"" + mtype + "\",\"mdata\":\""
                + url + "\""));
    }

    /** Several images: mdata as a JSON array of URLs. */
    private Gateway.Response sendImages(String... urls) {
        return gw.postJson(PATH, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mtype\":\"image\",\"mdata\":[\""
                + String.join("\",\"", urls) + "\"]"));
    }

    private static String detail(Gateway.Response r) {
        return r.ret().path("detail").asText();
    }

    private void assertNotSent(Gateway.Response r, int code, String status) {
        assertNotSent(r, code, status, 0);
    }

    /** Refused with {@code code}, a failed row that says so, and Meta called no more than {@code graphCalls} times. */
    private void assertNotSent(Gateway.Response r, int code, String status, int graphCalls) {
        assertRefused(r, 422, code, status);
        long cdlsId = r.ret().path("cdls_id").asLong();
        LogRow row = gw.stores().log().findForAccount(gw.accountId, cdlsId).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.error().orElseThrow().statusCode()).isEqualTo(code);
        assertThat(MetaStubs.graphCalls(gw.meta())).as("Meta's calls").isEqualTo(graphCalls);
    }

    private LogRow awaitFinal(long cdlsId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            LogRow row = gw.stores().log().findForAccount(gw.accountId, cdlsId).orElseThrow();
            if (row.state() == LogState.FAILED || row.state() == LogState.SENT) {
                return row;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("cdls_id " + cdlsId + " did not reach a final state in 15 s");
    }
}
