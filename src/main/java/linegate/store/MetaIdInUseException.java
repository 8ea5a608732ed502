package linegate.store;

/**
 * A line was to become active with an Instagram account id or a Page id that another active line holds. Meta's
 * webhooks name their line only by that id, so one id has one active line; the message says which line holds it and
 * how to go on.
 */
public final class MetaIdInUseException extends IllegalArgumentException {
    /** Which of the line's ids is taken, with its column and the option that sets it. */
    public enum Kind {
        INSTAGRAM_ACCOUNT("ig_account_id", "Instagram account", "--ig-account-id"),
        PAGE("page_id", "Facebook Page", "--page-id");

        final String column;
        final String noun;
        final String option;

        Kind(String column, String noun, String option) {
            this.column = column;
            this.noun = noun;
            this.option = option;
        }
    }

    private final Kind kind;
    private final long holderLineId;

    MetaIdInUseException(Kind kind, String metaId, long holderLineId, long holderAccountId) {
        super(kind.noun + " " + metaId + " (" + kind.option + ") already belongs to active line " + holderLineId
                + " of account " + holderAccountId + ": an Instagram account or Page has one active line, or its"
                + " customers' messages would reach both. Check the id; to move it, deactivate line " + holderLineId
                + " first ('linegate line update " + holderLineId + " --active false'), or create this line with --inactive");
        this.kind = kind;
        this.holderLineId = holderLineId;
    }

    public Kind kind() {
        return kind;
    }

    public long holderLineId() {
        return holderLineId;
    }
}
