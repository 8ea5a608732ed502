package linegate.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** Callers of a writer on virtual threads, one per request, as the HTTP server runs them. */
final class Callers {
    private Callers() {
    }

    /** A call running on its own virtual thread, and its outcome. */
    record Caller<T>(Thread thread, CompletableFuture<T> outcome) {
        T await() {
            try {
                return outcome.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the call did not return normally", e);
            }
        }

        /** What the call threw (the test fails if it returned normally or took over a minute). */
        Throwable failure() {
            try {
                T value = outcome.get(60, TimeUnit.SECONDS);
                throw new AssertionError("expected the call to fail, it returned " + value);
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            } catch (Exception e) {
                throw new AssertionError("the call did not end", e);
            }
        }
    }

    static <T> Caller<T> start(Supplier<T> call) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().name("caller").start(() -> {
            try {
                outcome.complete(call.get());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        });
        return new Caller<>(t, outcome);
    }

    /** {@code n} calls on {@code n} virtual threads released at the same moment; their results in call order. */
    static <T> List<T> burst(int n, IntFunction<T> call) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Caller<T>> callers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            callers.add(start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return call.apply(index);
            }));
        }
        go.countDown();
        List<T> results = new ArrayList<>();
        for (Caller<T> c : callers) {
            results.add(c.await());
        }
        return results;
    }

    /** Polls until {@code condition} holds, for up to 30 s. */
    static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Waits until every caller is parked (waiting for its write) or has ended. */
    static void awaitParkedOrDone(List<? extends Caller<?>> callers) {
        awaitUntil("every caller waits or has ended", () -> callers.stream().allMatch(c ->
                c.thread().getState() == Thread.State.WAITING || c.thread().getState() == Thread.State.TERMINATED));
    }
}
