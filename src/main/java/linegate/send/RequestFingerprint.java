package linegate.send;

import linegate.store.Line;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes two sends the same message, for telling a retry of a msg_id from its reuse: the line, the recipient, the
 * type, the tag and the content, as the SHA-256 of a canonical form. Every field but the content is from a fixed
 * vocabulary or digits, and the content comes last, so the line-separated form is unambiguous.
 */
final class RequestFingerprint {
    private RequestFingerprint() {
    }

    static String of(Line line, SendRequest request) {
        String canonical = "v1\n" + line.id() + "\n" + request.dest() + "\n" + request.mtype() + "\n"
                + request.tag().orElse("") + "\n" + request.content();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
