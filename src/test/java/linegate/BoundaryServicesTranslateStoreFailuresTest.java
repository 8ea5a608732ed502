package linegate;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;
import linegate.auth.Authenticator;
import linegate.meta.WebhookSignature;
import linegate.send.ConversationLookup;
import linegate.send.MessageStatusLookup;
import linegate.store.Stores;
import linegate.testing.TestDb;
import linegate.webhook.WebhookIntake;
import linegate.webhook.WebhookProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The services http calls say "the database is unavailable" themselves, as the ApiException the error mapper writes
 * (503 and the detail clients have always read), so http never meets the store's exception. Over real stores whose
 * database has gone away (closed).
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class BoundaryServicesTranslateStoreFailuresTest {
    private static final String APP_SECRET = "0f5c2a9e7b1d4c3a8e6f2b0d9c7a5e31";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Stores stores;

    @BeforeEach
    void openThenLoseTheDatabase() {
        Map<String, String> env = db.freshEnv(tmp);
        stores = Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(TestDb.MASTER_KEY), Clock.systemUTC());
        stores.close();
    }

    @Test
    void theAuthenticatorAnswers503WhenItCannotCheckAToken() {
        Authenticator authenticator = new Authenticator(stores.lookups());

        assertDatabaseUnavailable(catchThrowableOfType(ApiException.class,
                () -> authenticator.accountOf(Optional.of("a-token-not-in-memory"))));
    }

    @Test
    void messageStatusAnswers503WhenItCannotReadTheLog() {
        MessageStatusLookup lookup = new MessageStatusLookup(stores.log(),
                new ConversationLookup(stores.lookups(), stores.conversations()));

        assertDatabaseUnavailable(catchThrowableOfType(ApiException.class,
                () -> lookup.find(1, new Params(Map.of("cdls_id", Params.Value.text("1"))))));
        assertDatabaseUnavailable(catchThrowableOfType(ApiException.class,
                () -> lookup.find(1, new Params(Map.of("msg_id", Params.Value.text("crm-1"))))));
    }

    @Test
    void conversationAnswers503WhenItCannotReadTheWindow() {
        ConversationLookup lookup = new ConversationLookup(stores.lookups(), stores.conversations());

        assertDatabaseUnavailable(catchThrowableOfType(ApiException.class,
                () -> lookup.window(1, 1, "1254477777772919")));
    }

    @Test
    void aWebhookDeliveryAnswers503WhenItCannotBeStored() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (WebhookProcessor processor = new WebhookProcessor(stores.inbox(), linegate.channel.Channels.standard(), stores.lines(), stores.log(),
                stores.conversations(), stores.comments(), Clock.systemUTC(), registry)) {
            WebhookIntake intake = new WebhookIntake(new WebhookSignature(List.of(APP_SECRET)), Optional.empty(),
                    stores.inbox(), processor, Clock.systemUTC(), registry);
            byte[] body = "{\"object\":\"instagram\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);

            assertDatabaseUnavailable(catchThrowableOfType(ApiException.class,
                    () -> intake.accept(body, WebhookSignature.sign(APP_SECRET, body))));
        }
    }

    private static void assertDatabaseUnavailable(ApiException e) {
        assertThat(e).as("an ApiException, not the store's own exception").isNotNull();
        assertThat(e.code()).isEqualTo(StatusCode.SERVICE_UNAVAILABLE);
        assertThat(e.detail()).isEqualTo("the database is unavailable; retry later");
    }
}
