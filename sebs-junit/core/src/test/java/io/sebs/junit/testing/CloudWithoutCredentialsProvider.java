package io.sebs.junit.testing;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.PlatformProvider;
import java.util.Optional;

/**
 * A cloud platform for the framework's own tests, as a real one is on a machine without its credentials: it
 * says it is {@linkplain #unavailable unavailable} (what is missing, how to provide it), and creating it
 * fails with the same words, as {@code AwsClients} does without AWS credentials. Registered only on the
 * core's test classpath (src/test/resources/META-INF/services) under the name {@value #NAME}.
 */
public final class CloudWithoutCredentialsProvider implements PlatformProvider {

  public static final String NAME = "test-cloud";
  /** What is missing and how to provide it. */
  public static final String MISSING = "no test-cloud credentials found: set TEST_CLOUD_KEY";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<String> unavailable(SebsConfig config) {
    return Optional.of(MISSING);
  }

  @Override
  public Platform create(PlatformContext context) {
    throw new IllegalArgumentException("Cannot run -Dsebs.platform=" + NAME + ": " + MISSING);
  }
}
