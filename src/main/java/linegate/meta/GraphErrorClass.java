package linegate.meta;

/**
 * What a Meta error means for the sender, decided by {@code code} and {@code error_subcode} alone: Meta answers the same
 * error with HTTP 400 on Messenger and 403 on Instagram, and with varying {@code type}s, so neither is a reliable key.
 * The table follows Meta's Common Error Codes page and the Graph API error-handling guide (docs/meta-facts.md, "Error classes").
 */
public enum GraphErrorClass {
    /** 10/2534022 (Instagram), 10/2018278 (Messenger), 10/2018065: the 24-hour window is closed. */
    WINDOW_CLOSED,
    /** 551 (any subcode), 200/1545041, 10/2018108: the person cannot receive messages from this business now. */
    RECIPIENT_UNAVAILABLE,
    /** 100/2018001, 100/2534014: the id is not a user scoped to this Page or Instagram account. */
    NO_MATCHING_USER,
    /** 100/2018008, 100/2018047, 100/2018109, 100/2018294: Meta could not fetch or accept the media. */
    MEDIA_REJECTED,
    /** 190 (any subcode), 102: the page access token is invalid, expired or revoked. */
    TOKEN_REJECTED,
    /** 10 and 200 with other subcodes, 3: the app or Page lacks the permission or capability. */
    NOT_PERMITTED,
    /** 4, 17, 32, 613, 80001, 80002, 80006: a Meta rate limit. */
    RATE_LIMITED,
    /** Anything else. */
    OTHER;

    public static GraphErrorClass of(Integer code, Integer subcode) {
        if (code == null) {
            return OTHER;
        }
        int sub = subcode == null ? 0 : subcode;
        return switch (code) {
            case 10 -> switch (sub) {
                case 2534022, 2018278, 2018065 -> WINDOW_CLOSED;
                case 2018108 -> RECIPIENT_UNAVAILABLE;
                default -> NOT_PERMITTED;
            };
            case 551 -> RECIPIENT_UNAVAILABLE;
            case 200 -> sub == 1545041 ? RECIPIENT_UNAVAILABLE : NOT_PERMITTED;
            case 100 -> switch (sub) {
                case 2018001, 2534014 -> NO_MATCHING_USER;
                case 2018008, 2018047, 2018109, 2018294 -> MEDIA_REJECTED;
                default -> OTHER;
            };
            case 190, 102 -> TOKEN_REJECTED;
            case 3 -> NOT_PERMITTED;
            case 4, 17, 32, 613, 80001, 80002, 80006 -> RATE_LIMITED;
            default -> OTHER;
        };
    }
}
