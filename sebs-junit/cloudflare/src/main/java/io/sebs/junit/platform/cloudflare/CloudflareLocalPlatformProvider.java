package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.PlatformProvider;

/** Registers the {@code cloudflare-local} platform (the name {@code cloudflare} is kept for the REST path). */
public final class CloudflareLocalPlatformProvider implements PlatformProvider {

  @Override
  public String name() {
    return CloudflareLocalPlatform.NAME;
  }

  @Override
  public Platform create(PlatformContext context) {
    return new CloudflareLocalPlatform(context);
  }
}
