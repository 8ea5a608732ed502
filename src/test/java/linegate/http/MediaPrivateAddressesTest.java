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
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static linegate.http.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the default LINEGATE_MEDIA_ALLOW_PRIVATE=false, a media URL whose host is, or resolves to, a loopback,
 * private, link-local, metadata or CGNAT address answers 244 before any connection is made: the media server on
 * 127.0.0.1, which would answer a fine PNG, receives no request at all. Both databases; a failed row each.
 */
class MediaPrivateAddressesTest extends GatewayPerDatabase {
    private static final String IGSID = "1254477777772919";
    private MediaServer media;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Gateway.env("LINEGATE_MEDIA_CHECK", "true"); // LINEGATE_MEDIA_ALLOW_PRIVATE as by default
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void startMedia() {
        media = MediaServer.start("127.0.0.1");
    }

    @BeforeEach
    void reset() {
        media.reset();
        media.answer("/menu.png", Answer.file("image/png", 1000));
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
    }

    @AfterParameterizedClassInvocation
    void stopMedia() {
        media.close();
    }

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:PORT/menu.png, 'resolves to 127.0.0.1, a loopback address'",
            "http://localhost:PORT/menu.png, 'a loopback address'",
            "http://[::ffff:127.0.0.1]:PORT/menu.png, 'resolves to 127.0.0.1, a loopback address'",
            "http://169.254.169.254/latest/meta-data/, 'a cloud metadata address'",
            "http://10.1.2.3/menu.png, 'a private address'",
            "http://192.168.1.10/menu.png, 'a private address'",
            "http://100.64.0.7/menu.png, 'CGNAT'",
            "http://[fd00::1]/menu.png, 'unique local'",
    })
    void answers244WithoutAnyRequestReachingAPrivateAddress(String url, String why) {
        Gateway.Response r = gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"" + IGSID
                + "\",\"mtype\":\"image\",\"mdata\":\"" + url.replace("PORT", Integer.toString(media.port())) + "\""));

        assertRefused(r, 422, 244, "Media not reachable");
        assertThat(r.ret().path("detail").asText()).contains(why).contains("LINEGATE_MEDIA_ALLOW_PRIVATE");
        LogRow row = gw.stores().log().findForAccount(gw.accountId, r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.error().orElseThrow().statusCode()).isEqualTo(244);
        assertThat(media.hits()).as("requests that reached the media server").isEmpty();
        assertThat(MetaStubs.graphCalls(gw.meta())).isZero();
    }
}
