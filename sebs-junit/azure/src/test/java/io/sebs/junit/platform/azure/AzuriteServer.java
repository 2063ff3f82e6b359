package io.sebs.junit.platform.azure;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Azurite's Blob service (npm {@value #PACKAGE}@{@value #VERSION}, in memory) on a free loopback port: Microsoft's
 * own Blob Storage emulator, which checks Shared Key signatures as Azure does. It serves one account of ours,
 * {@value #ACCOUNT}, with a key made up per start (so no client gets by on Azurite's well-known key), path-style:
 * {@code http://127.0.0.1:<port>/<account>}. 3.35.0 is the newest Azurite that runs on Node.js 20.
 */
final class AzuriteServer implements AutoCloseable {

  static final String PACKAGE = "azurite";
  static final String VERSION = "3.35.0";
  static final String ACCOUNT = "sebstest";

  private final LoopbackServer server;
  private final String key;

  private final String account;

  private AzuriteServer(LoopbackServer server, String key, String account) {
    this.server = server;
    this.key = key;
    this.account = account;
  }

  static AzuriteServer start() {
    return start(ACCOUNT);
  }

  /** Azurite serving one account of this name (a storage account name, as Resource Manager lists it). */
  static AzuriteServer start(String account) {
    Path modules = NpmInstall.install("azurite-" + VERSION, Map.of(PACKAGE, VERSION));
    byte[] secret = new byte[64];
    new SecureRandom().nextBytes(secret);
    String key = Base64.getEncoder().encodeToString(secret);
    int port = LoopbackServer.freePort();
    Path log = LoopbackServer.LOGS.resolve("azurite-" + port + ".log");
    LoopbackServer server = LoopbackServer.startNode("Azurite", modules.resolve("azurite/dist/src/blob/main.js"),
        List.of("--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port), "--skipApiVersionCheck", "--loose",
            "--disableTelemetry", "--inMemoryPersistence", "--silent"),
        port, log, Map.of("AZURITE_ACCOUNTS", account + ":" + key));
    return new AzuriteServer(server, key, account);
  }

  /** {@code http://127.0.0.1:<port>/<account>}. */
  URI blobEndpoint() {
    return URI.create("http://127.0.0.1:" + server.port() + "/" + account);
  }

  String accountKey() {
    return key;
  }

  /** The account's connection string, as the Azure portal would give it for this endpoint. */
  String connectionString() {
    return AzureStorage.connectionString(blobEndpoint(), account, key);
  }

  String output() {
    return server.output();
  }

  @Override
  public void close() {
    server.close();
  }
}
