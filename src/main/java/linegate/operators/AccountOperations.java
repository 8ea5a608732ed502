package linegate.operators;

import linegate.api.Refusal;
import linegate.events.CallbackAddresses;
import linegate.events.CallbackSecrets;
import linegate.events.CallbackUrl;
import linegate.store.Accounts;
import linegate.store.Stores;
import linegate.store.events.Callbacks;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static linegate.operators.StoreRefusals.translated;

/** Accounts: create, read, list, rename, and their callbacks (URL and signing secret; docs/api.md, "Callbacks"). */
public final class AccountOperations {
    private final Stores stores;
    private final Supplier<CallbackAddresses> addresses;
    private final Clock clock;

    /** {@code addresses}: where a callback URL may point, by the same rule as the delivery. */
    AccountOperations(Stores stores, Supplier<CallbackAddresses> addresses, Clock clock) {
        this.stores = stores;
        this.addresses = addresses;
        this.clock = clock;
    }

    public AccountView create(String name) {
        String checked = Checks.name("name", name);
        long id = stores.accounts().create(checked);
        return find(id);
    }

    public AccountView find(long id) {
        Accounts.Account a = stores.accounts().find(id).orElseThrow(() -> Refusal.notFound("account " + id
                + " does not exist: create one with 'linegate account create --name NAME'"));
        return views(List.of(a)).getFirst();
    }

    /** In id order. */
    public Page<AccountView> list(Optional<String> cursor, int limit) {
        long after = Cursor.decode(cursor).orElse(0L);
        List<Accounts.Account> rows = stores.accounts().list(after, limit + 1);
        return Page.of(views(rows), limit, AccountView::id);
    }

    private List<AccountView> views(List<Accounts.Account> rows) {
        Map<Long, Long> dead = stores.deliveries().deadCounts(rows.stream().map(Accounts.Account::id).toList());
        return rows.stream().map(a -> new AccountView(a.id(), a.name(), a.callbackUrl(), a.createdAtMillis(),
                dead.getOrDefault(a.id(), 0L))).toList();
    }

    /**
     * Applies the change. A first callback URL makes a signing secret; a new URL for an account that has one keeps it
     * (the client already verifies with it); {@code ""} removes the URL and its secrets.
     */
    public AccountUpdate update(long id, AccountChange change) {
        if (change.isEmpty()) {
            throw Refusal.invalid("nothing to update: give name (--name), callback_url (--callback-url URL; \"\""
                    + " removes it) or rotate_secret (--rotate-secret)");
        }
        boolean removing = change.callbackUrl().map(String::isBlank).orElse(false);
        if (removing && change.rotateSecret()) {
            throw Refusal.invalid("rotate_secret (--rotate-secret) needs a callback URL, and callback_url \"\" removes"
                    + " it: give one of the two");
        }
        Optional<CallbackUrl> url = change.callbackUrl().filter(u -> !u.isBlank())
                .map(u -> translated(() -> CallbackUrl.parse(u)));
        url.ifPresent(u -> translated(() -> addresses.get().resolve(u.host())));
        Optional<String> name = change.name().map(n -> Checks.name("name", n));
        find(id);
        Callbacks callbacks = stores.callbacks();
        name.ifPresent(n -> translated(() -> stores.accounts().rename(id, n)));
        Optional<String> secret = Optional.empty();
        Optional<Long> previousUntil = Optional.empty();
        if (removing) {
            translated(() -> callbacks.remove(id));
        }
        if (url.isPresent()) {
            String fresh = CallbackSecrets.generate();
            if (translated(() -> callbacks.setUrl(id, url.get().toString(), fresh))) {
                secret = Optional.of(fresh);
            }
        }
        if (change.rotateSecret() && secret.isEmpty()) {
            String fresh = CallbackSecrets.generate();
            translated(() -> callbacks.rotate(id, fresh));
            secret = Optional.of(fresh);
            previousUntil = Optional.of(clock.millis() + Callbacks.ROTATION_OVERLAP.toMillis());
        }
        return new AccountUpdate(find(id), secret, previousUntil);
    }
}
