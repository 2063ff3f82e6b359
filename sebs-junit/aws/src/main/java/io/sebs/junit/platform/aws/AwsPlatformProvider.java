package io.sebs.junit.platform.aws;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.HostEnvironment;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.PlatformProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** Registers {@link AwsPlatform} as {@code sebs.platform=aws}. */
public final class AwsPlatformProvider implements PlatformProvider {

  /** A {@code region = ...} line of an AWS config file. */
  private static final Pattern REGION_LINE = Pattern.compile("(?m)^\\s*region\\s*=\\s*\\S");

  @Override
  public String name() {
    return AwsPlatform.NAME;
  }

  @Override
  public Platform create(PlatformContext context) {
    AwsSettings settings = AwsSettings.from(context.config());
    return new AwsPlatform(context, settings, AwsClients.create(settings));
  }

  @Override
  public Optional<String> unavailable(SebsConfig config) {
    return unavailable(config, HostEnvironment.current());
  }

  /**
   * Unavailable when none of the AWS SDK's default credential sources is set up here, or no region is known;
   * only their presence is checked, never their validity. Credentials: the SDK's system properties
   * {@code aws.accessKeyId}/{@code aws.secretAccessKey} (what the stand-ins set beside {@code aws.endpointUrl},
   * read through {@code config} as JUnit reads system properties), {@code AWS_ACCESS_KEY_ID}, a web identity
   * token ({@code AWS_WEB_IDENTITY_TOKEN_FILE}), {@code AWS_PROFILE}, a shared credentials or config file
   * ({@code ~/.aws/credentials}, {@code ~/.aws/config}, or where {@code AWS_SHARED_CREDENTIALS_FILE} and
   * {@code AWS_CONFIG_FILE} point), a container's credentials endpoint ({@code AWS_CONTAINER_CREDENTIALS_*}),
   * or an instance metadata endpoint named with {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}. Region:
   * {@code sebs.aws.region}, {@code aws.region}, {@code AWS_REGION}, a {@code region} line in the config
   * file, or that metadata endpoint.
   */
  static Optional<String> unavailable(SebsConfig config, HostEnvironment host) {
    Path credentialsFile = host.variable("AWS_SHARED_CREDENTIALS_FILE").map(Path::of)
        .orElse(host.inHome(".aws/credentials"));
    Path configFile = host.variable("AWS_CONFIG_FILE").map(Path::of).orElse(host.inHome(".aws/config"));
    boolean metadata = host.anyVariable("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    boolean credentials = config.get("aws.accessKeyId").isPresent()
        || host.anyVariable("AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_PROFILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI")
        || Files.isRegularFile(credentialsFile) || Files.isRegularFile(configFile) || metadata;
    if (!credentials) {
      return Optional.of("no AWS credentials found (no AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_WEB_IDENTITY_TOKEN_FILE,"
          + " container credentials, " + credentialsFile + " or " + configFile + "): set AWS_ACCESS_KEY_ID and"
          + " AWS_SECRET_ACCESS_KEY, run `aws configure` (or `aws sso login` with AWS_PROFILE), or on EC2 with an"
          + " instance role set AWS_EC2_METADATA_SERVICE_ENDPOINT=http://169.254.169.254");
    }
    boolean region = config.get(AwsSettings.REGION).isPresent() || config.get("aws.region").isPresent()
        || host.anyVariable("AWS_REGION") || metadata || hasRegionLine(configFile);
    if (!region) {
      return Optional.of("no AWS region configured (no " + AwsSettings.REGION + ", AWS_REGION or region in "
          + configFile + "): set -D" + AwsSettings.REGION + "=<region>, e.g. us-east-1, or AWS_REGION");
    }
    return Optional.empty();
  }

  private static boolean hasRegionLine(Path configFile) {
    try {
      return Files.isRegularFile(configFile) && REGION_LINE.matcher(Files.readString(configFile)).find();
    } catch (IOException | RuntimeException e) {
      return false; // unreadable: the SDK will not find a region there either
    }
  }
}
