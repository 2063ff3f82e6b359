package io.sebs.junit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A deployment is made once per key however many tests ask at once, and a failed one is tried again. */
class OncePerKeyTest {

  @Test
  void concurrentCallersOfOneKeyWaitForTheOneCreation() throws Exception {
    OncePerKey<String> deployments = new OncePerKey<>();
    AtomicInteger created = new AtomicInteger();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<String> first = pool.submit(() -> deployments.get("fn", () -> {
        created.incrementAndGet();
        inside.countDown();
        await(release);
        return "deployed";
      }));
      inside.await();
      Future<String> second = pool.submit(() -> deployments.get("fn", () -> "again" + created.incrementAndGet()));
      Future<String> other = pool.submit(() -> deployments.get("other", () -> "other"));
      assertThat(other.get()).as("another key does not wait").isEqualTo("other");
      release.countDown();

      assertThat(first.get()).isEqualTo("deployed");
      assertThat(second.get()).isEqualTo("deployed");
      assertThat(created).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedCreationIsRethrownAndForgotten() {
    OncePerKey<String> deployments = new OncePerKey<>();

    assertThatThrownBy(() -> deployments.get("fn", () -> {
      throw new IllegalStateException("quota exceeded");
    })).hasMessage("quota exceeded");

    assertThat(deployments.get("fn", () -> "deployed")).isEqualTo("deployed");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
