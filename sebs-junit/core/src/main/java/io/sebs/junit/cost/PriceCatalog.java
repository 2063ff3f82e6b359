package io.sebs.junit.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The price tables of all known providers, read from the {@code prices.json} resource next to this class.
 * Unknown provider or architecture names fail with the known ones.
 */
public final class PriceCatalog {

  private static final String RESOURCE = "prices.json";

  private final Map<String, Map<String, PriceTable>> tables;
  private final Map<String, String> defaults;

  private PriceCatalog(Map<String, Map<String, PriceTable>> tables, Map<String, String> defaults) {
    this.tables = tables;
    this.defaults = defaults;
  }

  /** The catalogue shipped with sebs-junit. */
  public static PriceCatalog load() {
    try (InputStream in = PriceCatalog.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("The price tables " + RESOURCE + " are missing from the classpath next to "
            + PriceCatalog.class.getName());
      }
      return parse(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the price tables " + RESOURCE, e);
    }
  }

  static PriceCatalog parse(JsonNode root) {
    Map<String, Map<String, PriceTable>> tables = new LinkedHashMap<>();
    Map<String, String> defaults = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> providers = root.path("providers").fields();
    while (providers.hasNext()) {
      Map.Entry<String, JsonNode> provider = providers.next();
      JsonNode p = provider.getValue();
      Map<String, PriceTable> byArchitecture = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> architectures = p.path("architectures").fields();
      while (architectures.hasNext()) {
        Map.Entry<String, JsonNode> a = architectures.next();
        JsonNode t = a.getValue();
        String name = t.path("name").asText(p.path("name").asText(provider.getKey()));
        byArchitecture.put(a.getKey(), new PriceTable(provider.getKey(), name, a.getKey(),
            required(t, "per_gb_second"), t.path("per_ghz_second").asDouble(0), t.path("per_vcpu_second").asDouble(0),
            required(t, "per_request"), (long) required(t, "granularity_ms"), t.path("minimum_ms").asLong(0),
            t.path("memory_rounding_mb").asInt(0), t.path("maximum_memory_mb").asInt(0),
            byMemory(t, "cpu_ghz_by_memory_mb"), byMemory(t, "vcpu_by_memory_mb"), sizes(t, "instance_memory_mb"),
            t.path("cpu_time").asBoolean(false), t.path("source").asText(""), LocalDate.parse(t.path("retrieved").asText())));
      }
      tables.put(provider.getKey(), byArchitecture);
      defaults.put(provider.getKey(), p.path("default_architecture").asText(byArchitecture.keySet().iterator().next()));
    }
    return new PriceCatalog(tables, defaults);
  }

  /** A {@code {"<memory MB>": number}} object of a table; empty when absent. */
  private static SortedMap<Integer, Double> byMemory(JsonNode table, String field) {
    SortedMap<Integer, Double> byMemory = new TreeMap<>();
    table.path(field).fields()
        .forEachRemaining(e -> byMemory.put(Integer.parseInt(e.getKey()), e.getValue().asDouble()));
    return byMemory;
  }

  /** A {@code [<memory MB>, ...]} array of a table; empty when absent. */
  private static java.util.SortedSet<Integer> sizes(JsonNode table, String field) {
    java.util.SortedSet<Integer> sizes = new java.util.TreeSet<>();
    table.path(field).forEach(size -> sizes.add(size.asInt()));
    return sizes;
  }

  private static double required(JsonNode table, String field) {
    if (!table.path(field).isNumber()) {
      throw new IllegalStateException("Price table entry lacks the number '" + field + "': " + table);
    }
    return table.path(field).asDouble();
  }

  /** The known provider keys, e.g. {@code [aws, azure, cloudflare, gcp]}. */
  public TreeSet<String> providers() {
    return new TreeSet<>(tables.keySet());
  }

  /** The default architecture of a provider (x86_64 for AWS, flex-consumption for Azure, gen2-tier1 for Google). */
  public String defaultArchitecture(String provider) {
    architectures(provider);
    return defaults.get(provider);
  }

  /**
   * The prices of one provider and architecture; an empty architecture takes the provider's default.
   *
   * @throws IllegalArgumentException naming the known providers or architectures
   */
  public PriceTable find(String provider, String architecture) {
    Map<String, PriceTable> byArchitecture = architectures(provider);
    String arch = architecture == null || architecture.isBlank() ? defaults.get(provider) : architecture;
    PriceTable table = byArchitecture.get(arch);
    if (table == null) {
      throw new IllegalArgumentException("Unknown architecture '" + arch + "' for cost provider " + provider
          + ": use one of " + new TreeSet<>(byArchitecture.keySet()) + " (sebs.cost.architecture)");
    }
    return table;
  }

  private Map<String, PriceTable> architectures(String provider) {
    Map<String, PriceTable> byArchitecture = tables.get(provider);
    if (byArchitecture == null) {
      throw new IllegalArgumentException("Unknown cost provider '" + provider + "': use one of " + providers()
          + " (sebs.cost.provider)");
    }
    return byArchitecture;
  }
}
