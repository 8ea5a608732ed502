package linegate.media;

import linegate.meta.OutboundMessage.Kind;
import linegate.store.LineClass;

import java.net.URI;

/**
 * Whether Meta can be expected to fetch and accept the media at a URL for a message of this kind on this channel.
 * Called once per URL (a message of several images calls it for each); an attachment that is not a URL (an
 * {@code attachment_id}) has nothing to check. Never throws for anything the URL or its server does, and returns
 * within the check's time bound.
 */
@FunctionalInterface
public interface MediaCheck {
    MediaVerdict check(URI url, Kind kind, LineClass channel);

    /** {@code LINEGATE_MEDIA_CHECK=false}: every URL is accepted without a request, and Meta decides. */
    static MediaCheck off() {
        return (url, kind, channel) -> new MediaVerdict.Accepted();
    }
}
