package io.sebs.junit.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StartingGateTest {

  @Test
  void opening_releases_every_waiting_thread_and_none_before() throws Exception {
    StartingGate gate = new StartingGate();
    int threads = 50;
    CountDownLatch ready = new CountDownLatch(threads);
    AtomicInteger passed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          ready.countDown();
          gate.await();
          return passed.incrementAndGet();
        }));
      }
      ready.await();
      assertThat(passed).hasValue(0);
      gate.open();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertThat(passed).hasValue(threads);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void an_open_gate_lets_a_late_thread_through() throws Exception {
    StartingGate gate = new StartingGate();
    gate.open();
    gate.await();
  }

  @Test
  void an_interrupted_waiter_stops_waiting() throws Exception {
    StartingGate gate = new StartingGate();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(gate::await).isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }
  }
}
