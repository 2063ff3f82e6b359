package io.sebs.junit.extension;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs a test class through the Jupiter engine with the fixture configuration. */
final class ExtensionTestKit {

  private ExtensionTestKit() {}

  static Events run(Class<?> testClass, Path results, String... overrides) {
    var request = EngineTestKit.engine("junit-jupiter")
        .configurationParameters(Fixtures.configMap(results))
        .configurationParameter("sebs.local.keepAlive", "60s");
    for (int i = 0; i < overrides.length; i += 2) {
      request.configurationParameter(overrides[i], overrides[i + 1]);
    }
    return request.selectors(selectClass(testClass)).execute().allEvents();
  }

  static Map<String, String> none() {
    return Map.of();
  }
}
