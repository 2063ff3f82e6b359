package io.sebs.junit.platform.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.benchmark.BenchmarkCatalog;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.PreparedInvocation;
import io.sebs.junit.series.PreparingInvoker;
import io.sebs.junit.series.SeriesRunner;
import io.sebs.junit.testing.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SeriesRunner#bursts} on a pooled platform (issue 16): a warm burst's requests are prepared on their
 * own threads and written by the releasing thread, back to back; a cold burst still starts its instances
 * inside the client time; an instance that dies during a burst is one failed invocation. The instances are
 * loopback servers answering the function contract with the request id they were sent.
 */
class BurstFromOneSenderTest {

  private static final Pattern REQUEST_ID = Pattern.compile("\r\nX-Request-Id: ([^\r]+)\r\n");
  private static final long STARTUP_MILLIS = 150;

  private final List<EchoInstance> launched = new CopyOnWriteArrayList<>();
  private final AtomicBoolean crashNext = new AtomicBoolean();
  private volatile long startupMillis;
  private InstancePool pool;

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.close();
    }
    launched.forEach(EchoInstance::kill);
  }

  @Test
  void aWarmBurstIsWrittenByTheReleasingThreadAndEachInvocationGetsItsOwnAnswer() throws Exception {
    pool = pool(50);
    PoolInvoker invoker = new PoolInvoker(pool);
    SeriesRunner runner = new SeriesRunner(invoker, JsonNodeFactory.instance.objectNode(),
        SeriesRunner.ProgressListener.NONE);
    runner.bursts(1, 50); // starts the 50 instances
    invoker.senders.clear();

    List<Invocation> burst = runner.bursts(1, 50).invocations();

    assertThat(invoker.senders).as("every request of the warm burst was prepared and sent by the releasing thread")
        .hasSize(50).containsOnly(Thread.currentThread());
    assertThat(burst).hasSize(50).allSatisfy(i -> {
      assertThat(i.failed()).as(i.toString()).isFalse();
      assertThat(i.isWarm()).as(i.toString()).isTrue();
      InvocationResult r = (InvocationResult) i;
      assertThat(r.output().path("request").asText()).as("the answer to this invocation's own request")
          .isEqualTo(r.requestId());
    });
    assertThat(burst.stream().map(i -> ((InvocationResult) i).requestId()).distinct()).hasSize(50);
    long[] begins = burst.stream().mapToLong(i -> ((InvocationResult) i).clientBeginMicros()).sorted().toArray();
    System.out.printf("warm burst of 50 from one sender: send instants spread over %.2f ms%n",
        (begins[49] - begins[0]) / 1000.0);
  }

  @Test
  void aColdBurstIsInvokedOnItsOwnThreadsWithTheStartUpInsideTheClientTime() throws Exception {
    pool = pool(20);
    startupMillis = STARTUP_MILLIS;
    PoolInvoker invoker = new PoolInvoker(pool);

    List<Invocation> burst = new SeriesRunner(invoker, JsonNodeFactory.instance.objectNode(),
        SeriesRunner.ProgressListener.NONE).bursts(1, 20).invocations();

    assertThat(invoker.senders).as("no idle instance: nothing could be prepared").isEmpty();
    assertThat(burst).hasSize(20).allSatisfy(i -> {
      assertThat(i.failed()).as(i.toString()).isFalse();
      assertThat(i.isCold()).as(i.toString()).isTrue();
      assertThat(((InvocationResult) i).clientMicros()).as("client time includes the start-up")
          .isGreaterThanOrEqualTo(STARTUP_MILLIS * 1000);
    });
  }

  @Test
  void anInstanceThatDiesDuringAWarmBurstIsOneFailedInvocation() throws Exception {
    pool = pool(10);
    PoolInvoker invoker = new PoolInvoker(pool);
    SeriesRunner runner = new SeriesRunner(invoker, JsonNodeFactory.instance.objectNode(),
        SeriesRunner.ProgressListener.NONE);
    runner.bursts(1, 10);
    crashNext.set(true);

    List<Invocation> burst = runner.bursts(1, 10).invocations();

    assertThat(invoker.senders).hasSize(10);
    assertThat(burst).hasSize(10);
    assertThat(burst).filteredOn(Invocation::failed).singleElement().satisfies(i ->
        assertThat(i.failureReason()).hasValueSatisfying(reason ->
            assertThat(reason).contains("instance crashed during the request")));
    assertThat(burst).filteredOn(i -> !i.failed()).hasSize(9);
  }

  private InstancePool pool(int cap) throws IOException {
    FunctionSpec spec = new FunctionSpec(new BenchmarkCatalog(Fixtures.benchmarksDir()).find("901.echo"),
        Language.PYTHON, "", "test", 128, 60);
    return new InstancePool(new DeployedFunction("echo", spec, "hash"), this::start, Duration.ofMinutes(1), cap);
  }

  private EchoInstance start(long generation) throws FunctionInstance.StartException {
    try {
      long startup = startupMillis;
      Thread.sleep(startup);
      EchoInstance instance = new EchoInstance(startup * 1000, generation);
      launched.add(instance);
      return instance;
    } catch (IOException | InterruptedException e) {
      throw new FunctionInstance.StartException(e.toString());
    }
  }

  /** The pool as the runner sees a pooled platform's invoker, noting the thread that sends each prepared request. */
  private static final class PoolInvoker implements FunctionInvoker, PreparingInvoker {
    final List<Thread> senders = new CopyOnWriteArrayList<>();
    private final InstancePool pool;

    PoolInvoker(InstancePool pool) {
      this.pool = pool;
    }

    @Override
    public Optional<PreparedInvocation> prepare(JsonNode payload) {
      return pool.prepare(payload).map(prepared -> new PreparedInvocation() {
        @Override
        public void send() {
          senders.add(Thread.currentThread());
          prepared.send();
        }

        @Override
        public InvocationResult await() {
          return prepared.await();
        }
      });
    }

    @Override
    public Invocation invoke(Object payload) {
      return pool.invoke((JsonNode) payload);
    }

    @Override
    public Invocation invoke() {
      return invoke(input());
    }

    @Override
    public JsonNode input() {
      return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public void enforceColdStart() {
      pool.retireAll();
    }

    @Override
    public String tableName(String logicalName) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String functionName() {
      return "echo";
    }

    @Override
    public String platform() {
      return "test";
    }
  }

  /**
   * A loopback server answering with the request id it was sent (cold on its first request); while {@code
   * crashNext} is set, the first request to arrive closes its server instead of answering.
   */
  private final class EchoInstance extends FunctionInstance {
    private static final AtomicInteger IDS = new AtomicInteger();
    private final String id = "echo-" + IDS.incrementAndGet();
    private final InstanceConnectionTest.ScriptedServer server;
    private final AtomicBoolean alive = new AtomicBoolean(true);
    private final AtomicBoolean served = new AtomicBoolean();

    EchoInstance(long startupMicros, long generation) throws IOException {
      super(startupMicros, generation);
      this.server = new InstanceConnectionTest.ScriptedServer((request, out, socket) -> {
        if (crashNext.compareAndSet(true, false)) {
          kill();
          return;
        }
        Matcher id = REQUEST_ID.matcher(request);
        String requestId = id.find() ? id.group(1) : "";
        boolean cold = served.compareAndSet(false, true);
        byte[] body = ("{\"result\":{\"output\":{\"request\":\"" + requestId + "\"}},\"is_cold\":" + cold
            + ",\"container_id\":\"" + id() + "\"}").getBytes(StandardCharsets.UTF_8);
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
      alive.set(false);
      try {
        server.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }
}
