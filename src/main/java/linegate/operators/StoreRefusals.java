package linegate.operators;

import linegate.api.Refusal;
import linegate.store.MetaIdInUseException;
import linegate.store.NotFoundException;

import java.util.function.Supplier;

/**
 * The store's and the callbacks' refusals in the operators' words: a missing row is {@code not_found}, an id another
 * active line holds {@code conflict}, any other value the store or a check refused {@code invalid}. Their messages
 * already say what to do.
 */
final class StoreRefusals {
    private StoreRefusals() {
    }

    static <T> T translated(Supplier<T> work) {
        try {
            return work.get();
        } catch (NotFoundException e) {
            throw Refusal.notFound(e.getMessage());
        } catch (MetaIdInUseException e) {
            throw Refusal.conflict(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid(e.getMessage());
        }
    }

    static void translated(Runnable work) {
        translated(() -> {
            work.run();
            return null;
        });
    }
}
