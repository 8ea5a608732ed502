package linegate.send;

import linegate.store.Line;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What makes two sends the same message, for telling a retry of a msg_id from its reuse: the line, the recipient, the
 * type, the tag and the content, as the SHA-256 of a canonical form. Every field but the content is from a fixed
 * vocabulary or digits, and the content comes last, so the line-separated form is unambiguous.
 */
final class RequestFingerprint {
    private RequestFingerprint() {
    }

    /**
     * A send of the seed's parameters keeps its v1 form, so an attempt made before an upgrade still matches its retry;
     * one with options (quick replies, reply_to, a comment recipient, agent: LoggedSends) is v2, the options' compact
     * JSON (no line break in it) before the content.
     */
    static String of(Line line, SendRequest request) {
        Optional<String> options = LoggedSends.options(request);
        String canonical = (options.isPresent() ? "v2\n" : "v1\n") + line.id() + "\n" + request.dest() + "\n"
                + request.mtype() + "\n" + request.tag().orElse("") + "\n"
                + options.map(o -> o + "\n").orElse("") + request.content();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
