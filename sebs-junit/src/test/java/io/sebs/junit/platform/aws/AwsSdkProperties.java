package io.sebs.junit.platform.aws;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The AWS SDK system properties a contract test points at its stand-ins: static credentials for the
 * default chain and the endpoint overrides ({@code aws.endpointUrl} for the Lambda/IAM/Logs stub, plus
 * per-service ones such as {@code aws.endpointUrlS3}); {@link #close()} clears them for the next test class.
 */
final class AwsSdkProperties implements AutoCloseable {

  private final Set<String> keys = new LinkedHashSet<>();

  private AwsSdkProperties() {}

  /** Credentials {@code accessKey}/{@code secret} and every service not overridden otherwise at the stub. */
  static AwsSdkProperties forStub(LambdaApiStub stub, String accessKey, String secret) {
    return new AwsSdkProperties().with("aws.accessKeyId", accessKey).with("aws.secretAccessKey", secret)
        .with("aws.endpointUrl", stub.endpoint().toString());
  }

  /** Sets one more property (e.g. {@code aws.endpointUrlS3}), cleared by {@link #close()}. */
  AwsSdkProperties with(String key, String value) {
    System.setProperty(key, value);
    keys.add(key);
    return this;
  }

  @Override
  public void close() {
    keys.forEach(System::clearProperty);
  }
}
