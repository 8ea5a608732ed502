package linegate.channel;

import linegate.meta.GraphEndpoint;
import linegate.meta.OutboundMessage.Kind;
import linegate.meta.WebhookParser;
import linegate.store.Line;
import linegate.store.LineClass;
import linegate.store.LineHealth;
import linegate.store.LineLogin;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry: each channel found by its name, line class, send paths and webhook object, and no two alike. */
class ChannelsTest {
    private final Channels channels = Channels.standard();

    @Test
    void instagramAndMessengerAreFoundByNameAndLineClass() {
        Channel instagram = channels.byName("instagram").orElseThrow();
        Channel messenger = channels.byName("messenger").orElseThrow();

        assertThat(channels.byLineClass(LineClass.INSTAGRAM)).containsSame(instagram);
        assertThat(channels.byLineClass(LineClass.MESSENGER)).containsSame(messenger);
        assertThat(channels.byName("whatsapp")).isEmpty();
    }

    @Test
    void eachChannelServesTheOriginalPhpPathAndTheSameWithoutIt() {
        assertThat(channels.byName("instagram").orElseThrow().sendPaths())
                .containsExactly("/api/v2/MakeInstagram.php", "/api/v2/MakeInstagram");
        assertThat(channels.byName("messenger").orElseThrow().sendPaths())
                .containsExactly("/api/v2/MakeMessenger.php", "/api/v2/MakeMessenger");
    }

    @Test
    void webhookObjectsNameTheirChannelsAndAreAllReadByTheParser() {
        assertThat(channels.byWebhookObject("instagram")).extracting(Channel::name).containsExactly("instagram");
        assertThat(channels.byWebhookObject("page")).extracting(Channel::name).containsExactly("messenger");
        assertThat(channels.byWebhookObject("whatsapp_business_account")).isEmpty();
        assertThat(WebhookParser.MESSAGING_OBJECTS).containsAll(channels.webhookObjects());
    }

    @Test
    void sendRulesDifferAsMetaDocumentsThem() {
        SendRules instagram = channels.byName("instagram").orElseThrow().sendRules();
        SendRules messenger = channels.byName("messenger").orElseThrow().sendRules();

        // PDFs on Instagram since Dec 2025; reactions documented for Instagram only; 10 images against 30
        assertThat(instagram.kinds()).contains(Kind.FILE, Kind.REACTION, Kind.TEMPLATE);
        assertThat(messenger.kinds()).contains(Kind.FILE, Kind.TEMPLATE).doesNotContain(Kind.REACTION);
        assertThat(instagram.maxImages()).isEqualTo(10);
        assertThat(messenger.maxImages()).isEqualTo(30);
        assertThat(instagram.textLength().applyAsInt("é")).as("UTF-8 bytes").isEqualTo(2);
        assertThat(messenger.textLength().applyAsInt("😀")).as("characters").isEqualTo(1);
        assertThat(instagram.lineNotFoundText()).isEqualTo("Instagram line not found");
        assertThat(messenger.lineNotFoundText()).isEqualTo("Messenger line not found");
    }

    @Test
    void pageTokenLinesSendToTheTokenOwnersMessagesEdge() {
        channels.all().forEach(c -> assertThat(c.graphEndpoint(line(c.lineClass(), LineLogin.FACEBOOK)))
                .isEqualTo(GraphEndpoint.PAGE_TOKEN_OWNER));
    }

    @Test
    void instagramLoginLinesSendToTheirAccountsMessagesEdgeOnGraphInstagramCom() {
        GraphEndpoint endpoint = channels.byName("instagram").orElseThrow()
                .graphEndpoint(line(LineClass.INSTAGRAM, LineLogin.INSTAGRAM));

        assertThat(endpoint).isEqualTo(new GraphEndpoint(GraphEndpoint.Host.INSTAGRAM, "17841405793187218"));
    }

    private static Line line(LineClass lineClass, LineLogin login) {
        return new Line(7, 1, lineClass, true, Optional.empty(), Optional.of("17841405793187218"), Optional.empty(),
                false, false, OptionalInt.empty(), LineHealth.UNKNOWN, Optional.empty(), 0, 0, login, Optional.empty(),
                Optional.empty());
    }

    @Test
    void twoChannelsMayShareNeitherANameNorAPath() {
        Channel instagram = channels.byName("instagram").orElseThrow();
        assertThatThrownBy(() -> new Channels(List.of(instagram, instagram)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named instagram");
    }
}
