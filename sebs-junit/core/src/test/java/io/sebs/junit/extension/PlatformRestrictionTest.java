package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.sebs.junit.Platform;
import io.sebs.junit.ServerlessBenchmark;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/** {@code @Platform} selects where a test runs; the target comes from {@code sebs.platform}. */
class PlatformRestrictionTest {

  @TempDir
  Path results;

  static class AwsOnly {
    @Test
    @Platform("aws")
    void onAws() {}

    @Test
    @Platform({"local", "aws"})
    void onLocalOrAws() {}

    @Test
    void anywhere() {}
  }

  @Platform({"gcp", "azure"})
  static class CloudClass {
    @Test
    void onCloud() {}
  }

  @ServerlessBenchmark("901.echo")
  static class NeedsAPlatform {
    @Test
    void any() {}
  }

  @Test
  void aTestForAnotherPlatformIsSkippedWithAReasonNamingBoth() {
    var events = ExtensionTestKit.run(AwsOnly.class, results);

    events.assertThatEvents().haveExactly(1, event(test("onAws"),
        skippedWithReason(r -> r.contains("[aws]") && r.contains("'local'") && r.contains("-Dsebs.platform=aws"))));
    assertThat(events.succeeded().count()).isEqualTo(4); // engine, class, two tests
  }

  @Test
  void aClassLevelRestrictionSkipsTheWholeClass() {
    var events = ExtensionTestKit.run(CloudClass.class, results);

    assertThat(events.skipped().count()).isEqualTo(1);
    assertThat(events.skipped().list().get(0).getPayload(String.class).orElseThrow())
        .contains("[gcp, azure]").contains("'local'");
  }

  @Test
  void theTargetPlatformCanBeChangedByConfiguration() {
    var events = ExtensionTestKit.run(AwsOnly.class, results, "sebs.platform", "aws");

    events.assertThatEvents().haveExactly(1, event(test("anywhere"), skippedOrSucceeded()));
    assertThat(events.skipped().count()).isEqualTo(0);
  }

  @Test
  void anUnknownTargetPlatformFailsWithTheKnownOnes() {
    var events = ExtensionTestKit.run(NeedsAPlatform.class, results, "sebs.platform", "lambda");

    events.assertThatEvents().haveAtLeastOne(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
        message(m -> m.contains("Unknown platform 'lambda'")
            && m.contains("known platforms are [local, local-twin, test-cloud]; with a module:"
                + " aws (io.sebs:sebs-junit-aws), azure (io.sebs:sebs-junit-azure), cloudflare"
                + " (io.sebs:sebs-junit-cloudflare), cloudflare-local (io.sebs:sebs-junit-cloudflare), docker"
                + " (io.sebs:sebs-junit-docker)"))));
  }

  @Test
  void aPlatformWhoseModuleIsMissingFailsNamingTheArtifactToAdd() {
    // the core's tests run without the platform modules, as a local-only user's project does
    var events = ExtensionTestKit.run(NeedsAPlatform.class, results, "sebs.platform", "docker");

    events.assertThatEvents().haveAtLeastOne(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
        message(m -> m.contains("Platform 'docker' is a module of its own that is not on the classpath")
            && m.contains("add the test dependency io.sebs:sebs-junit-docker")
            && m.contains("io.sebs:sebs-junit-bom"))));
  }

  private static org.assertj.core.api.Condition<org.junit.platform.testkit.engine.Event> skippedOrSucceeded() {
    return new org.assertj.core.api.Condition<>(e -> e.getType().name().equals("FINISHED")
        || e.getType().name().equals("SKIPPED"), "finished or skipped");
  }
}
