package linegate.events;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The signature against implementations written apart from {@link CallbackSignature}: the Node and PHP snippets of
 * docs/callbacks.md, run as they are (each skipped where its interpreter is missing), and the algorithm of section 8
 * written here again with javax.crypto.
 */
class CallbackSignatureTest {
    static final String SECRET = CallbackSecrets.generate();
    static final String OLD_SECRET = CallbackSecrets.generate();
    static final byte[] BODY = "{\"event_id\":\"evt_01J\",\"seq\":7,\"message\":{\"text\":\"héllo ✓\"}}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void secretsAreWhsecAnd32RandomBytesInBase64Url() {
        assertThat(SECRET).matches("whsec_[A-Za-z0-9_-]{43}").isNotEqualTo(OLD_SECRET);
    }

    @Test
    void matchesTheAlgorithmWrittenApart() throws Exception {
        long t = 1_764_590_130L;
        String header = CallbackSignature.header(t, BODY, SECRET, Optional.of(OLD_SECRET));

        assertThat(header).isEqualTo("t=" + t + ",v1=" + hmacHex(SECRET, t + "." + new String(BODY, StandardCharsets.UTF_8))
                + ",v1=" + hmacHex(OLD_SECRET, t + "." + new String(BODY, StandardCharsets.UTF_8)));
        assertThat(CallbackSignature.header(t, BODY, SECRET, Optional.empty()))
                .isEqualTo("t=" + t + ",v1=" + hmacHex(SECRET, t + "." + new String(BODY, StandardCharsets.UTF_8)));
    }

    @Test
    void theDocsNodeSnippetVerifiesItAndRefusesTampering() throws Exception {
        assumeTrue(onPath("node"), "node is not installed");
        long now = System.currentTimeMillis() / 1000;
        String header = CallbackSignature.header(now, BODY, SECRET, Optional.of(OLD_SECRET));
        String snippet = docsSnippet("js");
        String harness = snippet + """

                const [body, header, secret] = process.argv.slice(2);
                process.stdout.write(String(verifyLinegateSignature(Buffer.from(body, 'base64'), header, secret)));
                """;
        Path file = Files.createTempFile("verify", ".js");
        Files.writeString(file, harness);

        assertThat(run("node", file, BODY, header, SECRET)).isEqualTo("true");
        assertThat(run("node", file, BODY, header, OLD_SECRET)).as("the previous secret during a rotation").isEqualTo("true");
        assertThat(run("node", file, BODY, header, CallbackSecrets.generate())).isEqualTo("false");
        assertThat(run("node", file, "{\"seq\":8}".getBytes(StandardCharsets.UTF_8), header, SECRET)).isEqualTo("false");
        String stale = CallbackSignature.header(now - 3600, BODY, SECRET, Optional.empty());
        assertThat(run("node", file, BODY, stale, SECRET)).as("outside the tolerance").isEqualTo("false");
    }

    @Test
    void theDocsPhpSnippetVerifiesItAndRefusesTampering() throws Exception {
        assumeTrue(onPath("php"), "php is not installed");
        long now = System.currentTimeMillis() / 1000;
        String header = CallbackSignature.header(now, BODY, SECRET, Optional.of(OLD_SECRET));
        String harness = docsSnippet("php") + """

                echo verifyLinegateSignature(base64_decode($argv[1]), $argv[2], $argv[3]) ? 'true' : 'false';
                """;
        Path file = Files.createTempFile("verify", ".php");
        Files.writeString(file, harness);

        assertThat(run("php", file, BODY, header, SECRET)).isEqualTo("true");
        assertThat(run("php", file, BODY, header, OLD_SECRET)).isEqualTo("true");
        assertThat(run("php", file, BODY, header, CallbackSecrets.generate())).isEqualTo("false");
        assertThat(run("php", file, "{}".getBytes(StandardCharsets.UTF_8), header, SECRET)).isEqualTo("false");
    }

    static String hmacHex(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    /** The one code block of this language in docs/callbacks.md. */
    static String docsSnippet(String language) throws IOException {
        String docs = Files.readString(Path.of("docs/callbacks.md"));
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(docs);
        assertThat(m.find()).as("a ```" + language + " block in docs/callbacks.md").isTrue();
        return m.group(1);
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    static String run(String interpreter, Path script, byte[] body, String header, String secret) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(interpreter, script.toString(),
                java.util.Base64.getEncoder().encodeToString(body), header, secret));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
