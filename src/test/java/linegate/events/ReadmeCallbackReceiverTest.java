package linegate.events;

import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.Gateway;
import linegate.testing.MetaStubs;
import linegate.testing.Processes;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * README's step 7 as written: scripts/callback-receiver.py receives a send's message.status callback from the real
 * server on loopback (LINEGATE_CALLBACK_ALLOW_PRIVATE=true) and checks its signature with the account's secret; with
 * another secret it says the signature does not match, so its "signature ok" means something.
 */
class ReadmeCallbackReceiverTest {
    private static final String PEER = "1254477777772919";

    @Test
    void theReceiverPrintsASignedMessageStatusAndTellsAWrongSecret(@TempDir Path tmp) throws Exception {
        assumeTrue(CallbackSignatureTest.onPath("python3"), "python3 is not installed");
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp, Map.of("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true",
                "LINEGATE_CALLBACK_RETRY_BASE_MS", "200"))) {
            MetaStubs.answers(gw.meta(), MetaStubs.answer(200,
                    "{\"recipient_id\":\"" + PEER + "\",\"message_id\":\"aWdfZAG1faXRlbToxOkl\"}"));
            String secret = CallbackSecrets.generate();
            assertThat(receive(gw, secret, secret)).contains(" message.status seq=1 state=sent signature ok body: {");
            assertThat(receive(gw, secret, CallbackSecrets.generate())).contains("SIGNATURE MISMATCH");
        }
    }

    /** Sets the callback URL with {@code secret}, runs the receiver with {@code receiverSecret}, sends, and returns the send's line. */
    private static String receive(Gateway gw, String secret, String receiverSecret) throws Exception {
        int port = Processes.freePort();
        ProcessBuilder pb = new ProcessBuilder("python3", Path.of("scripts/callback-receiver.py").toAbsolutePath().toString(),
                Integer.toString(port)).redirectErrorStream(true);
        pb.environment().put("LINEGATE_CALLBACK_SECRET", receiverSecret);
        Process receiver = pb.start();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(receiver.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    r.lines().forEach(lines::add);
                } catch (java.io.IOException ignored) {
                    // the receiver was stopped
                }
            });
            assertThat(lines.poll(10, TimeUnit.SECONDS)).as("the receiver started").startsWith("callback-receiver:");
            long account = gw.stores().accounts().create("Acme Dental " + port);
            String tsid = gw.stores().tokens().create(account, "crm").tsid();
            long line = gw.stores().lines().create(new NewLine(account, LineClass.MESSENGER,
                    Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.empty(),
                    Optional.of(Webhooks.newId("1073")), true, false));
            gw.stores().callbacks().setUrl(account, "http://127.0.0.1:" + port + "/linegate", secret);

            Gateway.Response sent = gw.post("/api/v2/MakeMessenger.php", "application/x-www-form-urlencoded",
                    "tsid=" + tsid + "&app_id=" + line + "&dest=" + PEER + "&mdata=Your+order+has+shipped", Map.of());
            assertThat(sent.statusCode()).as(sent.raw()).isEqualTo(200);

            // the send's message.status and the line's first line.status (unknown -> ok) are two conversations:
            // they may arrive in either order
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                String received = lines.poll(1, TimeUnit.SECONDS);
                if (received != null && received.contains(" message.status ")) {
                    assertThat(received).startsWith("callback: evt_");
                    return received;
                }
            }
            throw new AssertionError("no message.status callback within 20 s");
        } finally {
            Processes.kill(receiver);
        }
    }
}
