package io.sebs.junit.platform.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sebs.junit.benchmark.BenchmarkCatalog;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.testing.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's rules with many threads invoking at once (its idle instances are taken without a lock): each
 * instance is a loopback server that counts the requests it serves at the same time, and the launcher
 * counts the instances running at the same time.
 */
class InstancePoolUnderContentionTest {

  private final Instances instances = new Instances();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
    instances.launched.forEach(CountingInstance::kill);
  }

  @Test
  void noInstanceServesTwoRequestsAtOnceAndTheCapHolds() throws Exception {
    InstancePool pool = pool(4, Duration.ofMinutes(1));

    List<InvocationResult> results = invokeTogether(pool, 32, 25, () -> { });

    assertThat(results).hasSize(32 * 25).allSatisfy(r -> assertThat(r.failed()).as(r.toString()).isFalse());
    assertThat(instances.maxConcurrentRequestsOnOneInstance()).isEqualTo(1);
    assertThat(instances.maxRunning.get()).isLessThanOrEqualTo(4);
    assertThat(instances.launched).hasSizeLessThanOrEqualTo(4);
    pool.close();
  }

  @Test
  void crashedInstancesAreReplacedAndFreeTheirPlaceUnderTheCap() throws Exception {
    // Every fifth request on an instance crashes it: with a cap of 2, the crashed ones must free their slot
    // for replacements, or the 16 threads would wait forever.
    InstancePool pool = pool(2, Duration.ofMinutes(1));
    instances.crashEvery = 5;

    List<InvocationResult> results = invokeTogether(pool, 16, 20, () -> { });

    assertThat(results).hasSize(16 * 20);
    assertThat(results).filteredOn(InvocationResult::failed).isNotEmpty()
        .allSatisfy(r -> assertThat(r.failureReason()).hasValueSatisfying(reason ->
            assertThat(reason).contains("instance crashed during the request")));
    assertThat(instances.launched.size()).isGreaterThan(2);
    assertThat(instances.maxRunning.get()).isLessThanOrEqualTo(2);
    assertThat(instances.maxConcurrentRequestsOnOneInstance()).isEqualTo(1);
    pool.close();
  }

  @Test
  void evictionRacingWithRequestsNeverStopsAnInstanceThatServesOne() throws Exception {
    // A keep-alive of zero makes every idle instance evictable at once; an eviction that stopped an instance
    // a request had just taken would fail that request as a crash.
    InstancePool pool = pool(4, Duration.ZERO);
    AtomicBoolean running = new AtomicBoolean(true);
    Future<?> evictor = threads.submit(() -> {
      while (running.get()) {
        pool.evictIdle();
      }
    });

    List<InvocationResult> results = invokeTogether(pool, 8, 50, () -> { });
    running.set(false);
    evictor.get(10, TimeUnit.SECONDS);

    assertThat(results).allSatisfy(r -> assertThat(r.failed()).as(r.toString()).isFalse());
    assertThat(instances.launched.size()).as("instances started, most of them after an eviction").isGreaterThan(4);
    assertThat(instances.maxRunning.get()).isLessThanOrEqualTo(4);
    pool.evictIdle();
    assertThat(pool.runningInstances()).isZero();
    pool.close();
  }

  @Test
  void aRequestThatBeginsAfterRetireAllReturnsIsServedByANewInstance() throws Exception {
    InstancePool pool = pool(8, Duration.ofMinutes(1));
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger retired = new AtomicInteger();
    List<String> staleServes = new CopyOnWriteArrayList<>();

    List<InvocationResult> results = invokeTogether(pool, 8, 40, p -> {
      if (calls.incrementAndGet() % 37 == 0) {
        p.retireAll();
        retired.incrementAndGet();
      }
      int retiredBefore = retired.get();
      InvocationResult r = p.invoke(JsonNodeFactory.instance.objectNode());
      long servedBy = instances.generationOf(r.containerId());
      if (servedBy < retiredBefore) {
        staleServes.add("begun after " + retiredBefore + " retirements, served by generation " + servedBy);
      }
      return r;
    });

    assertThat(retired).hasPositiveValue();
    assertThat(results).allSatisfy(r -> assertThat(r.failed()).as(r.toString()).isFalse());
    assertThat(staleServes).isEmpty();
    assertThat(instances.maxRunning.get()).isLessThanOrEqualTo(8);
    pool.close();
  }

  @Test
  void closingWhileThreadsInvokeEndsEveryInvocationAndStopsEveryInstance() throws Exception {
    InstancePool pool = pool(4, Duration.ofMinutes(1));
    AtomicInteger calls = new AtomicInteger();

    List<InvocationResult> results = invokeTogether(pool, 16, 30, () -> {
      if (calls.incrementAndGet() == 200) {
        pool.close();
      }
    });

    assertThat(results).hasSize(16 * 30);
    assertThat(results).filteredOn(InvocationResult::failed).isNotEmpty();
    assertThat(pool.invoke(JsonNodeFactory.instance.objectNode()).failureReason())
        .hasValueSatisfying(reason -> assertThat(reason).contains("the platform is closed"));
    assertThat(pool.runningInstances()).isZero();
    assertThat(instances.launched).allSatisfy(i -> assertThat(i.isAlive()).as(i.id()).isFalse());
  }

  private InstancePool pool(int cap, Duration keepAlive) throws IOException {
    FunctionSpec spec = new FunctionSpec(new BenchmarkCatalog(Fixtures.benchmarksDir()).find("901.echo"),
        Language.PYTHON, "", "test", 128, 60);
    return new InstancePool(new DeployedFunction("echo", spec, "hash"), instances::start, keepAlive, cap);
  }

  /** {@code count} threads released together, each invoking {@code each} times, running {@code between} after each. */
  private List<InvocationResult> invokeTogether(InstancePool pool, int count, int each, Runnable between)
      throws Exception {
    return invokeTogether(pool, count, each, p -> {
      InvocationResult result = p.invoke(JsonNodeFactory.instance.objectNode());
      between.run();
      return result;
    });
  }

  /** {@code count} threads released together, each calling {@code invocation} {@code each} times. */
  private List<InvocationResult> invokeTogether(InstancePool pool, int count, int each,
      Function<InstancePool, InvocationResult> invocation) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<InvocationResult>>> futures = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      futures.add(threads.submit(() -> {
        go.await();
        List<InvocationResult> mine = new ArrayList<>();
        for (int i = 0; i < each; i++) {
          mine.add(invocation.apply(pool));
        }
        return mine;
      }));
    }
    go.countDown();
    List<InvocationResult> all = new ArrayList<>();
    for (Future<List<InvocationResult>> f : futures) {
      all.addAll(f.get(60, TimeUnit.SECONDS));
    }
    return all;
  }

  /** Starts counting instances and keeps count of them. */
  private static final class Instances {
    final List<CountingInstance> launched = new CopyOnWriteArrayList<>();
    final Map<String, Long> generations = new ConcurrentHashMap<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger ids = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    volatile int crashEvery;

    CountingInstance start(long generation) throws FunctionInstance.StartException {
      try {
        CountingInstance instance = new CountingInstance(this, generation, crashEvery);
        launched.add(instance);
        generations.put(instance.id(), generation);
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        return instance;
      } catch (IOException e) {
        throw new FunctionInstance.StartException(e.toString());
      }
    }

    long generationOf(String id) {
      return generations.get(id);
    }

    int maxConcurrentRequestsOnOneInstance() {
      return launched.stream().mapToInt(i -> i.maxInFlight.get()).max().orElse(0);
    }
  }

  /**
   * A loopback server answering the function contract after a millisecond, with its id as the container id,
   * counting the requests it serves at the same time; it crashes (closes) on every {@code crashEvery}-th
   * request when that is positive.
   */
  private static final class CountingInstance extends FunctionInstance {
    private final Instances owner;
    private final String id;
    private final InstanceConnectionTest.ScriptedServer server;
    private final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicBoolean alive = new AtomicBoolean(true);

    CountingInstance(Instances owner, long generation, int crashEvery) throws IOException {
      super(0, generation);
      this.owner = owner;
      this.id = "counting-" + owner.ids.incrementAndGet(); // not the port: a closed server's port is reused
      this.server = new InstanceConnectionTest.ScriptedServer((request, out, socket) -> {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        inFlight.decrementAndGet();
        if (crashEvery > 0 && served.incrementAndGet() % crashEvery == 0) {
          kill();
          return;
        }
        byte[] body = ("{\"result\":{\"output\":{}},\"container_id\":\"" + id() + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
      });
    }

    @Override
    public URI endpoint() {
      return server.endpoint();
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public boolean isAlive() {
      return alive.get();
    }

    @Override
    public String describeDeath() {
      return isAlive() ? "still running" : "killed";
    }

    @Override
    public void kill() {
      if (alive.compareAndSet(true, false)) {
        owner.running.decrementAndGet();
      }
      try {
        server.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }
}
