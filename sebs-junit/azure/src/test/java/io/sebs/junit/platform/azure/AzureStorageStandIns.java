package io.sebs.junit.platform.azure;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Azurite (Blob Storage) and cosmosdb-server (Cosmos DB) for a test class, as real processes on loopback
 * ports: started before its first test, stopped with their process trees after its last. Register it in a
 * static field:
 * <pre>{@code
 * @RegisterExtension
 * static final AzureStorageStandIns standIns = new AzureStorageStandIns();
 * }</pre>
 * The npm packages are installed once into {@code sebs.cache.dir}.
 */
final class AzureStorageStandIns implements BeforeAllCallback, AfterAllCallback {

  private AzuriteServer azurite;
  private CosmosDbServer cosmos;

  @Override
  public void beforeAll(ExtensionContext context) {
    azurite = AzuriteServer.start();
    cosmos = CosmosDbServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (azurite != null) {
        azurite.close();
      }
    } finally {
      if (cosmos != null) {
        cosmos.close();
      }
    }
  }

  AzuriteServer azurite() {
    return azurite;
  }

  CosmosDbServer cosmos() {
    return cosmos;
  }
}
