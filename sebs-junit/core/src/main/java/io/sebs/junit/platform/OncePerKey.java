package io.sebs.junit.platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A cloud deployment made once per key while concurrent tests ask for it: the first caller creates it, the others
 * wait for that one, and a failed creation is forgotten so a later call tries again (for platforms whose {@code
 * deploy} is not a {@link io.sebs.junit.platform.pool.PooledPlatform}'s).
 */
public final class OncePerKey<V> {

  private final ConcurrentHashMap<String, CompletableFuture<V>> made = new ConcurrentHashMap<>();

  /** The value of {@code key}, created by {@code create} if no caller has made it; its failure is rethrown. */
  public V get(String key, Supplier<V> create) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = made.putIfAbsent(key, mine);
    if (running == null) {
      try {
        V value = create.get();
        mine.complete(value);
        return value;
      } catch (RuntimeException | Error e) {
        made.remove(key, mine);
        mine.completeExceptionally(e);
        throw e;
      }
    }
    try {
      return running.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Forgets every value (they are deleted or the platform closes). */
  public void clear() {
    made.clear();
  }
}
