package io.sebs.junit.platform;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The platforms on the classpath, by name: each platform module registers a {@link PlatformProvider}
 * through ServiceLoader ({@code META-INF/services/io.sebs.junit.platform.PlatformProvider}).
 */
public final class Platforms {

  /** The project's platform modules that may be missing from a user's classpath: name to artifact. */
  private static final Map<String, String> MODULES = Map.of(
      "docker", "io.sebs:sebs-junit-docker",
      "aws", "io.sebs:sebs-junit-aws",
      "gcp", "io.sebs:sebs-junit-gcp",
      "azure", "io.sebs:sebs-junit-azure",
      "cloudflare-local", "io.sebs:sebs-junit-cloudflare",
      "cloudflare", "io.sebs:sebs-junit-cloudflare");

  /** Platforms the project plans but has not released yet. */
  private static final Map<String, String> PLANNED = Map.of();

  private final Map<String, PlatformProvider> providers = new TreeMap<>();

  public Platforms(ClassLoader classLoader) {
    for (PlatformProvider p : ServiceLoader.load(PlatformProvider.class, classLoader)) {
      providers.putIfAbsent(p.name(), p);
    }
  }

  public static Platforms discover() {
    return new Platforms(Platforms.class.getClassLoader());
  }

  /** Names of the installed platforms, sorted. */
  public List<String> names() {
    return List.copyOf(providers.keySet());
  }

  /** The platform modules not on the classpath, as {@code "; with a module: aws (io.sebs:sebs-junit-aws)"}. */
  private String installable() {
    List<String> missing = new TreeMap<>(MODULES).entrySet().stream()
        .filter(e -> !providers.containsKey(e.getKey()))
        .map(e -> e.getKey() + " (" + e.getValue() + ")")
        .toList();
    return missing.isEmpty() ? "" : "; with a module: " + String.join(", ", missing);
  }

  /** The provider of a platform; an unknown name fails with the installed ones. */
  public PlatformProvider provider(String name) {
    PlatformProvider provider = providers.get(name);
    if (provider == null && MODULES.containsKey(name)) {
      throw new IllegalArgumentException("Platform '" + name + "' is a module of its own that is not on the"
          + " classpath: add the test dependency " + MODULES.get(name) + " (same version as io.sebs:sebs-junit,"
          + " or import io.sebs:sebs-junit-bom). Installed platforms: " + names() + ".");
    }
    if (provider == null) {
      String planned = PLANNED.containsKey(name)
          ? " (" + PLANNED.get(name) + " is planned but not available in this version)"
          : "";
      throw new IllegalArgumentException("Unknown platform '" + name + "'" + planned
          + ": known platforms are " + names() + installable() + ". Set -Dsebs.platform=<one of them>.");
    }
    return provider;
  }
}
