package io.sebs.junit.platform.gcp;

import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.PlatformProvider;

/** Registers {@link GcpPlatform} as {@code sebs.platform=gcp}. */
public final class GcpPlatformProvider implements PlatformProvider {

  @Override
  public String name() {
    return GcpPlatform.NAME;
  }

  @Override
  public Platform create(PlatformContext context) {
    GcpSettings settings = GcpSettings.from(context.config());
    return new GcpPlatform(context, settings, GcpClients.create(settings));
  }
}
