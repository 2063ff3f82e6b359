package io.sebs.junit.platform.docker;

import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.PlatformProvider;

/** Registers the {@code docker} platform. */
public final class DockerPlatformProvider implements PlatformProvider {

  @Override
  public String name() {
    return DockerPlatform.NAME;
  }

  @Override
  public Platform create(PlatformContext context) {
    return new DockerPlatform(context);
  }
}
