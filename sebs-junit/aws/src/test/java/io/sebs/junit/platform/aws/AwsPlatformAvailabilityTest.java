package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.HostEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether aws can run on this machine, as a side-by-side run asks before skipping it: credentials in any
 * place the AWS SDK looks, and a region. Each case builds its own environment and home folder.
 */
class AwsPlatformAvailabilityTest {

  @TempDir
  Path home;

  private final Map<String, String> environment = new HashMap<>();
  private final Map<String, String> config = new HashMap<>();

  private Optional<String> unavailable() {
    return AwsPlatformProvider.unavailable(new SebsConfig(key -> Optional.ofNullable(config.get(key))),
        new HostEnvironment(environment::get, home));
  }

  @Test
  void withNothingConfiguredItSaysWhatIsMissingAndHowToProvideIt() {
    assertThat(unavailable()).hasValueSatisfying(reason -> assertThat(reason)
        .contains("no AWS credentials").contains("AWS_ACCESS_KEY_ID").contains("aws configure"));
  }

  @Test
  void keysInTheEnvironmentWithARegionAreEnough() {
    environment.put("AWS_ACCESS_KEY_ID", "AKID");
    environment.put("AWS_SECRET_ACCESS_KEY", "secret");
    environment.put("AWS_REGION", "eu-west-1");
    assertThat(unavailable()).isEmpty();
  }

  @Test
  void credentialsWithoutARegionAskForOne() {
    environment.put("AWS_ACCESS_KEY_ID", "AKID");
    assertThat(unavailable()).hasValueSatisfying(reason -> assertThat(reason)
        .contains("no AWS region").contains("-Dsebs.aws.region="));
    config.put(AwsSettings.REGION, "us-east-1");
    assertThat(unavailable()).isEmpty();
  }

  @Test
  void aStandInsKeysAndEndpointAsSystemPropertiesCount() {
    config.put("aws.accessKeyId", "stand-in");
    config.put("aws.secretAccessKey", "stand-in-secret");
    config.put("aws.endpointUrl", "http://127.0.0.1:4566");
    config.put("aws.region", "us-east-1");
    assertThat(unavailable()).isEmpty();
  }

  @Test
  void theAwsCliFilesGiveCredentialsAndTheRegion() throws IOException {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/credentials"), "[default]\naws_access_key_id = AKID\n");
    assertThat(unavailable()).hasValueSatisfying(reason -> assertThat(reason).contains("no AWS region"));
    Files.writeString(home.resolve(".aws/config"), "[default]\nregion = eu-central-1\n");
    assertThat(unavailable()).isEmpty();
  }

  @Test
  void aProfileOrTokenFileOrContainerCredentialsCount() {
    config.put(AwsSettings.REGION, "us-east-1");
    for (String variable : new String[] {"AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"}) {
      environment.clear();
      environment.put(variable, "x");
      assertThat(unavailable()).as(variable).isEmpty();
    }
  }

  @Test
  void blankVariablesDoNotCount() {
    environment.put("AWS_ACCESS_KEY_ID", " ");
    environment.put("AWS_REGION", "us-east-1");
    assertThat(unavailable()).isPresent();
  }
}
