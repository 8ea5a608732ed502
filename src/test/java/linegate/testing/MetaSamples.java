package linegate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Meta's documented payloads, copied from shared/meta/samples into src/test/resources/meta. Tests answer with these
 * so that Linegate is tested against Meta's real JSON shapes, not ones we made up.
 */
public final class MetaSamples {
    private MetaSamples() {
    }

    public static String read(String name) {
        try (InputStream in = MetaSamples.class.getResourceAsStream("/meta/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name + " in src/test/resources/meta");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An error in Meta's documented envelope (Graph API error handling guide) for codes that have no sample file, with
     * Meta's own message text from the Common Error Codes page.
     */
    public static String error(int code, Integer subcode, String type, String message, String fbtraceId) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"code\":" + code
                + (subcode == null ? "" : ",\"error_subcode\":" + subcode) + ",\"fbtrace_id\":\"" + fbtraceId + "\"}}";
    }
}
