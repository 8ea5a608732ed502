package linegate.testing;

import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.Stores;

import java.util.Optional;

/**
 * An account of a running {@link Gateway} other than its own, or another line of it: its id, an API token, and one active
 * line with a page access token. Made through the stores, as the operator's commands make them.
 */
public record Tenant(long accountId, String tsid, long lineId, String pageToken) {
    /** The Facebook Page id of the gateway's first Messenger line ({@link #newLine}). */
    public static final String PAGE_ID = "107346828715123";

    /**
     * A new account with its own token and one active line of this class, on an Instagram account or Page of its own
     * (one id has one active line).
     */
    public static Tenant newAccount(Gateway gw, String name, LineClass lineClass, String pageToken) {
        Stores s = gw.stores();
        long account = s.accounts().create(name);
        String tsid = s.tokens().create(account, "crm").tsid();
        String metaId = Webhooks.newId(lineClass == LineClass.INSTAGRAM ? "178414" : "10734");
        return new Tenant(account, tsid, line(gw, account, lineClass, pageToken, metaId), pageToken);
    }

    /**
     * Another active line, of this class, on the gateway's own account (same token): a Messenger line on
     * {@link #PAGE_ID} (once a gateway), an Instagram line on an Instagram account id of its own.
     */
    public static Tenant newLine(Gateway gw, LineClass lineClass, String pageToken) {
        String metaId = lineClass == LineClass.MESSENGER ? PAGE_ID : Webhooks.newId("178414");
        return new Tenant(gw.accountId, gw.tsid, line(gw, gw.accountId, lineClass, pageToken, metaId), pageToken);
    }

    private static long line(Gateway gw, long account, LineClass lineClass, String pageToken, String metaId) {
        return gw.stores().lines().create(new NewLine(account, lineClass, Optional.of(new PageAccessToken(pageToken)),
                lineClass == LineClass.INSTAGRAM ? Optional.of(metaId) : Optional.empty(),
                lineClass == LineClass.MESSENGER ? Optional.of(metaId) : Optional.empty(), true, false));
    }

    /** A JSON send body with this tenant's token and line and the given extra fields (raw JSON members). */
    public String sendJson(String members) {
        return "{\"tsid\":\"" + tsid + "\",\"app_id\":" + lineId + (members.isEmpty() ? "" : "," + members) + "}";
    }
}
