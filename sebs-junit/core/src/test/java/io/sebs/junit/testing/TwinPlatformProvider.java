package io.sebs.junit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.KeepAlive;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.PlatformProvider;
import io.sebs.junit.platform.local.LocalPlatform;
import io.sebs.junit.storage.PlatformStorage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A second platform for the framework's own tests: the local platform (real processes) under the name
 * {@value #NAME}, so platforms side by side are tested without a Docker engine. Registered only on the
 * core's test classpath (src/test/resources/META-INF/services).
 */
public final class TwinPlatformProvider implements PlatformProvider {

  public static final String NAME = "local-twin";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Platform create(PlatformContext context) {
    return new Twin(new LocalPlatform(context));
  }

  /** Every duty delegated to a local platform; only the name differs. */
  private record Twin(LocalPlatform local) implements Platform {

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public DeployedFunction deploy(FunctionSpec spec, Map<String, String> environment) {
      return local.deploy(spec, environment);
    }

    @Override
    public PlatformStorage storage() {
      return local.storage();
    }

    @Override
    public InvocationResult invoke(DeployedFunction function, JsonNode payload) {
      return local.invoke(function, payload);
    }

    @Override
    public List<Invocation> fetchMetrics(DeployedFunction function, List<Invocation> invocations) {
      return local.fetchMetrics(function, invocations);
    }

    @Override
    public void enforceColdStart(DeployedFunction function) {
      local.enforceColdStart(function);
    }

    @Override
    public Optional<KeepAlive> keepAlive() {
      return local.keepAlive();
    }

    @Override
    public OptionalDouble injectedClockOffsetMicros() {
      return local.injectedClockOffsetMicros();
    }

    @Override
    public void close() {
      local.close();
    }
  }
}
