package linegate.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.Main;
import linegate.testing.Gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls to a gateway's admin API, with an admin token made the way an operator makes one (the command line, on the
 * gateway's database), and the command line itself, to compare its answers with the API's.
 */
final class Admin {
    static final ObjectMapper JSON = new ObjectMapper();
    final Gateway gw;
    final Map<String, String> env;
    final String token;

    Admin(Gateway gw, Map<String, String> env) {
        this.gw = gw;
        this.env = env;
        this.token = cli("admin-token", "create", "--label", "ops").json().get("token").asText();
    }

    /** One command's exit code and output. */
    record Cli(int code, String out, String err) {
        JsonNode json() {
            assertThat(code).as("exit code; stderr: " + err).isZero();
            try {
                return JSON.readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, env, o, e);
        }
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(30));
    }

    Gateway.Response get(String path) {
        return gw.send(request(path).header("Authorization", "Bearer " + token).GET().build());
    }

    Gateway.Response post(String path, String json) {
        return send("POST", path, json);
    }

    Gateway.Response patch(String path, String json) {
        return send("PATCH", path, json);
    }

    Gateway.Response delete(String path) {
        return gw.send(request(path).header("Authorization", "Bearer " + token).DELETE().build());
    }

    Gateway.Response send(String method, String path, String json) {
        return gw.send(request(path).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Asserts the admin API's error shape, and returns its message. */
    static String error(Gateway.Response r, int status, String code) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.body().path("error").path("code").asText()).as(r.raw()).isEqualTo(code);
        assertThat(r.body().path("error").path("message").asText()).isNotBlank();
        return r.body().path("error").path("message").asText();
    }
}
