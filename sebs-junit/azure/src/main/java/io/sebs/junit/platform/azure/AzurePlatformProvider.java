package io.sebs.junit.platform.azure;

import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.PlatformProvider;

/** Registers {@link AzurePlatform} as {@code sebs.platform=azure}. */
public final class AzurePlatformProvider implements PlatformProvider {

  @Override
  public String name() {
    return AzurePlatform.NAME;
  }

  @Override
  public Platform create(PlatformContext context) {
    AzureSettings settings = AzureSettings.from(context.config());
    return new AzurePlatform(context, settings, AzureClients.create(settings));
  }
}
