package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.HostEnvironment;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.PlatformProvider;
import java.util.Optional;

/** Registers {@link CloudflarePlatform}, Workers deployed through Cloudflare's API, as {@code sebs.platform=cloudflare}. */
public final class CloudflarePlatformProvider implements PlatformProvider {

  @Override
  public String name() {
    return CloudflarePlatform.NAME;
  }

  @Override
  public Platform create(PlatformContext context) {
    return new CloudflarePlatform(context, CloudflareSettings.from(context.config()),
        CloudflareSettings.api(context.config(), System::getenv));
  }

  /** Unavailable without an API token and an account id (settings or wrangler's variables); never checks them. */
  @Override
  public Optional<String> unavailable(SebsConfig config) {
    return unavailable(config, HostEnvironment.current());
  }

  static Optional<String> unavailable(SebsConfig config, HostEnvironment host) {
    boolean token = config.get(CloudflareSettings.API_TOKEN).isPresent()
        || host.anyVariable(CloudflareSettings.TOKEN_VARIABLE);
    boolean account = config.get(CloudflareSettings.ACCOUNT_ID).isPresent()
        || host.anyVariable(CloudflareSettings.ACCOUNT_VARIABLE);
    return token && account ? Optional.empty()
        : Optional.of(CloudflareSettings.missingCredentials(!token, !account));
  }
}
