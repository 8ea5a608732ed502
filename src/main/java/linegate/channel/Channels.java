package linegate.channel;

import linegate.store.LineClass;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The channels this Linegate serves, in the order their routes are listed. Built once by the composition root; a
 * channel is registered here and nowhere else.
 */
public final class Channels {
    private final List<Channel> all;

    public Channels(List<Channel> channels) {
        this.all = List.copyOf(channels);
        Set<String> names = new HashSet<>();
        Set<String> paths = new HashSet<>();
        for (Channel c : all) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("two channels are named " + c.name());
            }
            for (String path : c.sendPaths()) {
                if (!paths.add(path)) {
                    throw new IllegalArgumentException("two channels serve " + path);
                }
            }
        }
    }

    /** Every channel Linegate has: Instagram Direct (through a Page) and Messenger. */
    public static Channels standard() {
        return new Channels(List.of(new InstagramChannel(), new MessengerChannel()));
    }

    public List<Channel> all() {
        return all;
    }

    /** The channel by its name ({@code instagram}, {@code messenger}), as operators and the API spell it. */
    public Optional<Channel> byName(String name) {
        return all.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Optional<Channel> byLineClass(LineClass lineClass) {
        return all.stream().filter(c -> c.lineClass() == lineClass).findFirst();
    }

    /** The channels whose webhooks come with this {@code object} (several channels may share one). */
    public List<Channel> byWebhookObject(String object) {
        return all.stream().filter(c -> c.webhookObject().equals(object)).toList();
    }

    /** The {@code object}s Linegate reads webhook deliveries for. */
    public Set<String> webhookObjects() {
        Set<String> objects = new HashSet<>();
        all.forEach(c -> objects.add(c.webhookObject()));
        return Set.copyOf(objects);
    }
}
