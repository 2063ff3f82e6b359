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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing a pool while an invocation waits for its answer: the instance is killed and the invocation ends
 * at once as a failure, not at the function timeout (the waiting thread owns the connection; the pool
 * only kills the instance under it).
 */
class ClosingThePoolTest {

  @Test
  void aBusyInvocationEndsAsAFailureAsSoonAsThePoolCloses() throws Exception {
    InstanceConnectionTest.ScriptedServer server = new InstanceConnectionTest.ScriptedServer(
        (request, out, socket) -> sleep(30_000)); // a function that never answers in this test's time
    FunctionSpec spec = new FunctionSpec(new BenchmarkCatalog(Fixtures.benchmarksDir()).find("901.echo"),
        Language.PYTHON, "", "test", 128, 60);
    InstancePool pool = new InstancePool(new DeployedFunction("echo", spec, "hash"),
        generation -> new ServerInstance(server, generation), Duration.ofMinutes(1), 1);

    CompletableFuture<InvocationResult> invocation = CompletableFuture.supplyAsync(
        () -> pool.invoke(JsonNodeFactory.instance.objectNode()));
    for (int waited = 0; server.requests.isEmpty() && waited < 5_000; waited += 5) {
      Thread.sleep(5);
    }
    assertThat(server.requests).as("the request reached the instance").hasSize(1);
    long closing = System.nanoTime();
    pool.close();
    InvocationResult result = invocation.get(10, TimeUnit.SECONDS);

    assertThat((System.nanoTime() - closing) / 1_000_000).as("ms from close to the failed invocation")
        .isLessThan(2_000);
    assertThat(result.failed()).isTrue();
    assertThat(result.failureReason()).hasValueSatisfying(reason ->
        assertThat(reason).contains("instance crashed during the request"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An instance that is a loopback server; killing it closes the server and its connections. */
  private static final class ServerInstance extends FunctionInstance {
    private final InstanceConnectionTest.ScriptedServer server;
    private volatile boolean alive = true;

    ServerInstance(InstanceConnectionTest.ScriptedServer server, long generation) {
      super(0, generation);
      this.server = server;
    }

    @Override
    public URI endpoint() {
      return server.endpoint();
    }

    @Override
    public String id() {
      return "server-" + server.port();
    }

    @Override
    public boolean isAlive() {
      return alive;
    }

    @Override
    public String describeDeath() {
      return alive ? "still running" : "killed";
    }

    @Override
    public void kill() {
      alive = false;
      try {
        server.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }
}
