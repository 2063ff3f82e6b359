package io.sebs.junit.platform;

/**
 * Creates a {@link Platform}; registered in {@code META-INF/services/io.sebs.junit.platform.PlatformProvider}.
 */
public interface PlatformProvider {

  /** The name users select with {@code sebs.platform}. */
  String name();

  /** Creates the platform for one run. */
  Platform create(PlatformContext context);
}
