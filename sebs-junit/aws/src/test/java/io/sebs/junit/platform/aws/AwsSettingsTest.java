package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sebs.junit.benchmark.Language;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the aws platform reads from configuration, and how it says what is missing. */
class AwsSettingsTest {

  @Test
  void languagesMapToLambdaRuntimesWithTheLocalPlatformsVersionsAsDefaults() {
    assertThat(AwsSettings.runtime(Language.PYTHON, "")).isEqualTo("python3.11");
    assertThat(AwsSettings.runtime(Language.PYTHON, "3.12")).isEqualTo("python3.12");
    assertThat(AwsSettings.runtime(Language.NODEJS, "")).isEqualTo("nodejs20.x");
    assertThat(AwsSettings.runtime(Language.NODEJS, "22")).isEqualTo("nodejs22.x");
  }

  @Test
  void anUnknownArchitectureNamesTheKnownOnes() {
    assertThatThrownBy(() -> AwsSettings.from(Fixtures.config(Path.of("results"), AwsSettings.ARCHITECTURE, "sparc")))
        .hasMessageContaining("sebs.aws.architecture 'sparc'").hasMessageContaining("[x86_64, arm64]");
  }

  @Test
  void arm64PicksArmWheelsAndArmNodeBinaries() {
    AwsSettings arm = AwsSettings.from(Fixtures.config(Path.of("results"), AwsSettings.ARCHITECTURE, "arm64"));
    assertThat(arm.pipPlatform()).isEqualTo("manylinux2014_aarch64");
    assertThat(arm.npmCpu()).isEqualTo("arm64");
  }

  @Test
  void theTriggerIsTheSdkInvokeByDefaultOrTheFunctionUrlAndAnythingElseNamesBoth() {
    AwsSettings defaults = AwsSettings.from(Fixtures.config(Path.of("results")));
    assertThat(defaults.trigger()).isEqualTo(AwsSettings.Trigger.INVOKE);
    assertThat(defaults.logWait()).isEqualTo(java.time.Duration.ofSeconds(60));
    AwsSettings url = AwsSettings.from(Fixtures.config(Path.of("results"), AwsSettings.TRIGGER, "URL",
        AwsSettings.LOG_WAIT, "90s"));
    assertThat(url.trigger()).isEqualTo(AwsSettings.Trigger.URL);
    assertThat(url.logWait()).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThatThrownBy(() -> AwsSettings.from(Fixtures.config(Path.of("results"), AwsSettings.TRIGGER, "http")))
        .hasMessageContaining("Unknown sebs.aws.trigger 'http'").hasMessageContaining("invoke")
        .hasMessageContaining("url");
  }

  @Test
  void workflowsRunAsExpressStateMachinesByDefaultOrStandardAndAnythingElseNamesBoth() {
    AwsSettings defaults = AwsSettings.from(Fixtures.config(Path.of("results")));
    assertThat(defaults.workflowType()).isEqualTo(AwsSettings.WorkflowType.EXPRESS);
    assertThat(defaults.workflowTimeout()).isEqualTo(java.time.Duration.ofMinutes(5));
    AwsSettings standard = AwsSettings.from(Fixtures.config(Path.of("results"), AwsSettings.WORKFLOW_TYPE, "Standard",
        AwsSettings.WORKFLOW_TIMEOUT, "20m"));
    assertThat(standard.workflowType()).isEqualTo(AwsSettings.WorkflowType.STANDARD);
    assertThat(standard.workflowTimeout()).isEqualTo(java.time.Duration.ofMinutes(20));
    assertThatThrownBy(() -> AwsSettings.from(Fixtures.config(Path.of("results"), AwsSettings.WORKFLOW_TYPE, "sync")))
        .hasMessageContaining("Unknown sebs.aws.workflowType 'sync'").hasMessageContaining("express")
        .hasMessageContaining("standard");
  }

  @Test
  void missingCredentialsSayHowToProvideThem() {
    assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_PROFILE") == null
            && System.getProperty("aws.accessKeyId") == null
            && !Files.exists(Path.of(System.getProperty("user.home"), ".aws")),
        "this machine has AWS credentials configured, so the missing-credentials message cannot be shown");
    assertThatThrownBy(() -> AwsClients.create(AwsSettings.from(Fixtures.config(Path.of("results"),
            AwsSettings.REGION, "us-east-1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No AWS credentials found")
        .hasMessageContaining("AWS_ACCESS_KEY_ID");
  }
}
