package linegate.media;

import linegate.meta.OutboundMessage.Kind;
import linegate.store.LineClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Meta's accepted types and sizes per channel and kind (docs/meta-facts.md), at their edges. */
class MediaRulesTest {
    @ParameterizedTest(name = "{0} {1} {2} {3} bytes: {4}")
    @CsvSource({
            "INSTAGRAM, IMAGE, image/png, 8388608, Accepted",
            "INSTAGRAM, IMAGE, image/png, 8388609, NotAccepted",
            "INSTAGRAM, IMAGE, image/gif, 100, Accepted",
            "INSTAGRAM, IMAGE, image/webp, 100, NotAccepted",
            "INSTAGRAM, AUDIO, audio/x-m4a, 100, Accepted",
            "INSTAGRAM, AUDIO, video/mp4, 100, Accepted",
            "INSTAGRAM, AUDIO, audio/mpeg, 100, NotAccepted",
            "INSTAGRAM, VIDEO, video/quicktime, 26214400, Accepted",
            "INSTAGRAM, VIDEO, video/quicktime, 26214401, NotAccepted",
            "INSTAGRAM, FILE, application/pdf, 100, Accepted",
            "INSTAGRAM, FILE, application/zip, 100, NotAccepted",
            "MESSENGER, IMAGE, image/webp, 100, Accepted",
            "MESSENGER, IMAGE, image/webp, 8388609, NotAccepted",
            "MESSENGER, AUDIO, audio/mpeg, 100, Accepted",
            "MESSENGER, VIDEO, application/pdf, 100, NotAccepted",
            "MESSENGER, FILE, application/zip, 26214400, Accepted",
            "MESSENGER, FILE, text/html, 100, NotAccepted",
    })
    void judges(LineClass channel, Kind kind, String type, long size, String verdict) {
        MediaVerdict v = MediaRules.judge(new MediaProbe.Answered(200, Optional.of(type), OptionalLong.of(size), 0),
                kind, channel);

        assertThat(v.getClass().getSimpleName()).isEqualTo(verdict);
    }

    @ParameterizedTest
    @CsvSource({"INSTAGRAM", "MESSENGER"})
    void anAnswerWithoutAContentTypeIsNotAcceptedAndOneWithoutASizeIsLeftToMeta(LineClass channel) {
        MediaVerdict untyped = MediaRules.judge(new MediaProbe.Answered(200, Optional.empty(), OptionalLong.of(10), 0),
                Kind.IMAGE, channel);
        MediaVerdict unsized = MediaRules.judge(new MediaProbe.Answered(200, Optional.of("image/jpeg"),
                OptionalLong.empty(), 0), Kind.IMAGE, channel);

        assertThat(untyped).isInstanceOf(MediaVerdict.NotAccepted.class);
        assertThat(((MediaVerdict.NotAccepted) untyped).detail()).contains("without a Content-Type");
        assertThat(unsized).isInstanceOf(MediaVerdict.Accepted.class);
    }
}
