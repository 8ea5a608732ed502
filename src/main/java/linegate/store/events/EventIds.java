package linegate.store.events;

import java.security.SecureRandom;

/**
 * Event ids: {@code evt_} and 26 characters of Crockford base32, a ULID's shape: 48 bits of epoch millis (so ids sort
 * by creation time) and 80 random bits (so ids of one millisecond, on any node, do not collide in practice).
 */
final class EventIds {
    static final String PREFIX = "evt_";
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private EventIds() {
    }

    static String next(long epochMillis) {
        if (epochMillis < 0 || epochMillis >= 1L << 48) {
            throw new IllegalArgumentException("an event id's time must fit 48 bits, got " + epochMillis);
        }
        char[] id = new char[26];
        long time = epochMillis;
        for (int i = 9; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 5; i++) {
            high = high << 8 | (random[i] & 0xff);
            low = low << 8 | (random[i + 5] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            id[i] = ALPHABET[(int) (high & 31)];
            high >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            id[i] = ALPHABET[(int) (low & 31)];
            low >>>= 5;
        }
        return PREFIX + new String(id);
    }
}
