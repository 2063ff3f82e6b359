package io.sebs.junit.platform.local;

import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.PlatformProvider;

/** Registers the {@code local} platform. */
public final class LocalPlatformProvider implements PlatformProvider {

  @Override
  public String name() {
    return LocalPlatform.NAME;
  }

  @Override
  public Platform create(PlatformContext context) {
    return new LocalPlatform(context);
  }
}
