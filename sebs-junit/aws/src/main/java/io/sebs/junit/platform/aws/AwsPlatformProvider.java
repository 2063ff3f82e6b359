package io.sebs.junit.platform.aws;

import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.PlatformProvider;

/** Registers {@link AwsPlatform} as {@code sebs.platform=aws}. */
public final class AwsPlatformProvider implements PlatformProvider {

  @Override
  public String name() {
    return AwsPlatform.NAME;
  }

  @Override
  public Platform create(PlatformContext context) {
    AwsSettings settings = AwsSettings.from(context.config());
    return new AwsPlatform(context, settings, AwsClients.create(settings));
  }
}
