package linegate.media;

import linegate.meta.OutboundMessage.Kind;
import linegate.store.LineClass;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What Meta accepts, per channel and kind: the media types and the largest size (docs/meta-facts.md; Meta's "Send a
 * message" pages, https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api
 * and https://developers.facebook.com/docs/messenger-platform/reference/send-api).
 * <ul>
 *   <li>Instagram: image png or jpeg, 8 MB; audio aac, m4a, wav or mp4; video mp4, ogg, avi, mov or webm; file pdf;
 *       25 MB each.</li>
 *   <li>Messenger documents only "Maximum file size is 25MB" and the kinds: any image, audio or video type, and any
 *       file but a web page (a URL that answers a sign-in page with 200 is the usual way a file link goes wrong).
 *       Images keep the 8 MB of contract §11 there too.</li>
 * </ul>
 * MB are read as MiB (2^20 bytes): the generous reading, so the check never refuses what Meta might take.
 * <p>
 * DISCREPANCY, GIF: Meta's current Instagram pages list png and jpeg; older copies of the same pages, the attachment
 * upload page (https://developers.facebook.com/docs/messenger-platform/instagram/features/attachment-upload) and the
 * send page's "URL for the image or GIF" allow GIF. The majority allows it, so GIF is accepted: drop "image/gif" from
 * {@link #INSTAGRAM_IMAGE} to follow the current page alone.
 */
final class MediaRules {
    static final long MB = 1024 * 1024;
    static final long IMAGE_LIMIT = 8 * MB;
    static final long OTHER_LIMIT = 25 * MB;

    static final Set<String> INSTAGRAM_IMAGE = Set.of("image/png", "image/jpeg", "image/jpg", "image/pjpeg",
            "image/gif");
    /** mp4 audio is usually served as video/mp4, the container's own type. */
    static final Set<String> INSTAGRAM_AUDIO = Set.of("audio/aac", "audio/x-aac", "audio/aacp", "audio/mp4",
            "audio/m4a", "audio/x-m4a", "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "video/mp4");
    static final Set<String> INSTAGRAM_VIDEO = Set.of("video/mp4", "video/ogg", "application/ogg", "video/x-msvideo",
            "video/avi", "video/msvideo", "video/quicktime", "video/webm");
    static final Set<String> INSTAGRAM_FILE = Set.of("application/pdf");

    /** Which media types fit, and how to say so in a detail. */
    private record Accepts(String described, Predicate<String> fits) {
        static Accepts oneOf(Set<String> types) {
            return new Accepts(String.join(", ", types.stream().sorted().toList()), types::contains);
        }

        static Accepts prefix(String prefix) {
            return new Accepts(prefix + "*", t -> t.startsWith(prefix));
        }
    }

    private static final Map<LineClass, Map<Kind, Accepts>> TYPES = Map.of(
            LineClass.INSTAGRAM, Map.of(
                    Kind.IMAGE, Accepts.oneOf(INSTAGRAM_IMAGE),
                    Kind.AUDIO, Accepts.oneOf(INSTAGRAM_AUDIO),
                    Kind.VIDEO, Accepts.oneOf(INSTAGRAM_VIDEO),
                    Kind.FILE, Accepts.oneOf(INSTAGRAM_FILE)),
            LineClass.MESSENGER, Map.of(
                    Kind.IMAGE, Accepts.prefix("image/"),
                    Kind.AUDIO, Accepts.prefix("audio/"),
                    Kind.VIDEO, Accepts.prefix("video/"),
                    Kind.FILE, new Accepts("any type but text/html", t -> !t.equals("text/html"))));

    private MediaRules() {
    }

    static long limit(Kind kind) {
        return kind == Kind.IMAGE ? IMAGE_LIMIT : OTHER_LIMIT;
    }

    static MediaVerdict judge(MediaProbe probe, Kind kind, LineClass channel) {
        return switch (probe) {
            case MediaProbe.Unreachable u -> new MediaVerdict.NotReachable(u.detail());
            case MediaProbe.Answered a -> judge(a, kind, channel);
        };
    }

    private static MediaVerdict judge(MediaProbe.Answered answer, Kind kind, LineClass channel) {
        String what = kind.name().toLowerCase(Locale.ROOT);
        String where = channel.dbValue().substring(0, 1).toUpperCase(Locale.ROOT) + channel.dbValue().substring(1);
        Accepts accepts = TYPES.get(channel).get(kind);
        if (accepts == null) {
            throw new IllegalArgumentException("no media rules for " + what + " on " + where);
        }
        if (answer.type().isEmpty()) {
            return new MediaVerdict.NotAccepted("the media URL answered HTTP " + answer.status() + " without a"
                    + " Content-Type; " + where + " takes " + what + " as " + accepts.described()
                    + ": serve the file with its type");
        }
        String type = answer.type().get();
        if (!accepts.fits().test(type)) {
            return new MediaVerdict.NotAccepted("the media is " + type + "; " + where + " takes " + what + " as "
                    + accepts.described());
        }
        long limit = limit(kind);
        if (answer.size().isPresent() && answer.size().getAsLong() > limit) {
            long size = answer.size().getAsLong();
            return new MediaVerdict.NotAccepted("the media is " + size + " bytes (" + megabytes(size) + " MB); Meta"
                    + " takes " + what + " up to " + limit / MB + " MB (" + limit + " bytes)");
        }
        return new MediaVerdict.Accepted();
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (double) MB);
    }
}
