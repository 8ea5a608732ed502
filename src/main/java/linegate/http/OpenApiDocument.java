package linegate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The OpenAPI document of this API as served: {@link #RESOURCE}, written by hand in YAML (its anchors expanded), as
 * JSON bytes, with a strong ETag over them. The tests check it against HttpServer's routes and real answers.
 */
record OpenApiDocument(byte[] json, String etag) {
    static final String RESOURCE = "openapi/linegate.yaml";
    /** The document's own anchors; SnakeYAML's default limit (50) is meant for untrusted input. */
    private static final int MAX_ALIASES = 500;

    static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: the jar was built without it");
            }
            return of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static OpenApiDocument of(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        Map<String, Object> tree = new Yaml(new SafeConstructor(options)).load(yaml);
        try {
            byte[] json = Envelope.JSON.writeValueAsBytes(tree);
            return new OpenApiDocument(json, etagOf(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + RESOURCE + " as JSON", e);
        }
    }

    private static String etagOf(byte[] json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
