package io.sebs.junit.platform.azure;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Azurite (Blob Storage) and cosmosdb-server (Cosmos DB) for a test class, as real processes on loopback
 * ports: started before its first test, stopped with their process trees when the class's extension store
 * closes after its last. Register it in a static field:
 * <pre>{@code
 * @RegisterExtension
 * static final AzureStorageStandIns standIns = new AzureStorageStandIns();
 * }</pre>
 * The npm packages are installed once into {@code sebs.cache.dir}.
 */
final class AzureStorageStandIns implements BeforeAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
      AzureStorageStandIns.class);

  private Servers servers;

  /** Both servers, stopped when the store holding them closes. */
  private record Servers(AzuriteServer azurite, CosmosDbServer cosmos)
      implements ExtensionContext.Store.CloseableResource {

    static Servers start() {
      AzuriteServer azurite = AzuriteServer.start();
      try {
        return new Servers(azurite, CosmosDbServer.start());
      } catch (RuntimeException e) {
        azurite.close();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        azurite.close();
      } finally {
        cosmos.close();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    servers = context.getStore(NAMESPACE).getOrComputeIfAbsent("servers", key -> Servers.start(), Servers.class);
  }

  private Servers servers() {
    if (servers == null) {
      throw new ExtensionConfigurationException("AzureStorageStandIns starts its servers before all tests of a "
          + "class: register it with @RegisterExtension in a static field");
    }
    return servers;
  }

  AzuriteServer azurite() {
    return servers().azurite();
  }

  CosmosDbServer cosmos() {
    return servers().cosmos();
  }
}
