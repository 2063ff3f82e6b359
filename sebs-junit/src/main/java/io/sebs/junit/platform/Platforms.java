package io.sebs.junit.platform;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The platforms on the classpath, by name. */
public final class Platforms {

  /** Platforms the project plans but that may not be on this classpath yet. */
  private static final Map<String, String> PLANNED = Map.of(
      "gcp", "the Google Cloud Functions platform",
      "azure", "the Azure Functions platform");

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

  /** The provider of a platform; an unknown name fails with the installed ones. */
  public PlatformProvider provider(String name) {
    PlatformProvider provider = providers.get(name);
    if (provider == null) {
      String planned = PLANNED.containsKey(name) && !providers.containsKey(name)
          ? " (" + PLANNED.get(name) + " is planned but not available in this version)"
          : "";
      throw new IllegalArgumentException("Unknown platform '" + name + "'" + planned
          + ": known platforms are " + names() + ". Set -Dsebs.platform=<one of them>.");
    }
    return provider;
  }
}
