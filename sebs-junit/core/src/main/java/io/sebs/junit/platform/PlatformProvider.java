package io.sebs.junit.platform;

import io.sebs.junit.config.SebsConfig;
import java.util.Optional;

/**
 * Creates a {@link Platform}; registered in {@code META-INF/services/io.sebs.junit.platform.PlatformProvider}.
 */
public interface PlatformProvider {

  /** The name users select with {@code sebs.platform}. */
  String name();

  /** Creates the platform for one run. */
  Platform create(PlatformContext context);

  /**
   * Why the platform cannot run on this machine, e.g. {@code "no AWS credentials: set AWS_ACCESS_KEY_ID and
   * AWS_SECRET_ACCESS_KEY, ..."}; empty when it plausibly can. Decided quickly and locally, from the presence
   * of credentials and configuration ({@link HostEnvironment}, {@code config}), with no network call: whether
   * the credentials are valid is {@link #create}'s to find out.
   *
   * <p>In a side-by-side run ({@code sebs.platform=local,aws,...}) a platform with a reason is skipped, its
   * tests each reported as disabled with the reason, while the others run. With one platform it is never
   * asked: the user chose that platform, so {@link #create} fails loudly with its own message. The reason
   * should therefore say what is missing and how to provide it. The default: available.
   *
   * @param config the run's configuration for this platform ({@code sebs.platform} is this platform's name)
   */
  default Optional<String> unavailable(SebsConfig config) {
    return Optional.empty();
  }
}
