package linegate.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which master keys sealed the secrets stored at rest: the page access tokens of {@code lines} and the callback signing
 * secrets of {@code accounts}, by the key id each sealed value carries ({@link TokenCipher}). Read at start-up, so
 * that a node given another key than the one that sealed them refuses to start instead of answering 500 on every send
 * while its health checks say UP.
 */
public final class SealedKeys {
    private final Database db;
    private final TokenCipher cipher;

    SealedKeys(Database db, TokenCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    /** The stored secrets by key id, and the configured key's id. */
    public Report read() {
        return db.call(h -> new Report(cipher.keyId(),
                byKeyId(h.createQuery("SELECT id, page_token_sealed AS sealed FROM lines WHERE page_token_sealed IS NOT NULL")
                        .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("sealed"))).list()),
                byKeyId(h.createQuery("SELECT id, callback_secret AS sealed FROM accounts WHERE callback_secret IS NOT NULL")
                        .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("sealed"))).list())));
    }

    private static Map<String, List<Long>> byKeyId(List<Map.Entry<Long, String>> rows) {
        return rows.stream().collect(Collectors.groupingBy(row -> TokenCipher.keyIdOf(row.getValue()), TreeMap::new,
                Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
    }

    /**
     * @param keyId    the configured master key's id
     * @param lines    the ids of the lines whose page token each key id sealed
     * @param accounts the ids of the accounts whose callback secret each key id sealed
     */
    public record Report(String keyId, Map<String, List<Long>> lines, Map<String, List<Long>> accounts) {
        /**
         * Why this node must not start: secrets are stored and the configured key opens none of them. Says which key
         * would, and how to tell a key's id, without leading the operator to seal the tokens again under this key
         * (which would take them from the nodes that have the right one).
         */
        public Optional<String> refusal(String keyOrigin) {
            int stored = count(lines) + count(accounts);
            if (stored == 0 || lines.containsKey(keyId) || accounts.containsKey(keyId)) {
                return Optional.empty();
            }
            String sealedUnder = String.join(", ", new java.util.TreeSet<>(
                    java.util.stream.Stream.concat(lines.keySet().stream(), accounts.keySet().stream()).toList()));
            return Optional.of("the master key (" + keyOrigin + ", key id " + keyId + ") opens none of the " + stored
                    + " page access tokens and callback secrets stored in the database, which were sealed under key id "
                    + sealedUnder + ": start this node with that key (the one the other nodes have, or the master.key"
                    + " of the data folder's backup; a key's id is the first 8 hex digits of the SHA-256 of its 32"
                    + " bytes: echo KEY | base64 -d | sha256sum | cut -c1-8). Do not set the tokens again under this"
                    + " key: nodes with the right key could no longer read them. Only if that key is lost for good, set"
                    + " every line's token again with 'linegate line update ID --page-token -' under this key");
        }

        /** The secrets the configured key cannot open, when it opens others: one line, for a warning. */
        public Optional<String> unreadable() {
            Map<String, List<Long>> foreignLines = foreign(lines);
            Map<String, List<Long>> foreignAccounts = foreign(accounts);
            if (foreignLines.isEmpty() && foreignAccounts.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("secrets sealed under another master key than this node's (key id " + keyId + "):"
                    + (foreignLines.isEmpty() ? "" : " the page tokens of lines " + ids(foreignLines)
                    + " (their sends answer 500)")
                    + (foreignAccounts.isEmpty() ? "" : " the callback secrets of accounts " + ids(foreignAccounts))
                    + "; every node must run with the same key: if the other nodes run with the key of that id, start"
                    + " this node with it too; set these again under this node's key only if the key they were sealed"
                    + " under is lost for good");
        }

        private Map<String, List<Long>> foreign(Map<String, List<Long>> byKey) {
            Map<String, List<Long>> out = new TreeMap<>(byKey);
            out.remove(keyId);
            return out;
        }

        private static String ids(Map<String, List<Long>> byKey) {
            return byKey.entrySet().stream().map(e -> e.getValue().stream().sorted().limit(20).map(String::valueOf)
                    .collect(Collectors.joining(", ")) + (e.getValue().size() > 20 ? " …" : "") + " (key id "
                    + e.getKey() + ")").collect(Collectors.joining("; "));
        }

        private static int count(Map<String, List<Long>> byKey) {
            return byKey.values().stream().mapToInt(List::size).sum();
        }
    }
}
