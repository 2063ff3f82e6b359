package io.sebs.junit.platform.azure;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Cosmos DB stand-in: npm {@value #PACKAGE}@{@value #VERSION}, which speaks Cosmos DB's REST API (databases,
 * containers, documents, SQL queries, Patch) over HTTPS with a self-signed certificate, in memory, on a free
 * loopback port. Clients must not verify its certificate: azure-cosmos with the system property
 * {@code COSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED=true} (and gateway mode), Node.js with
 * {@code NODE_TLS_REJECT_UNAUTHORIZED=0}, the Python module with {@code SEBS_NOSQL_TLS_INSECURE=1}.
 *
 * <p>Where it differs from Cosmos DB:
 * <ul>
 *   <li>It accepts any key: signatures are not checked.</li>
 *   <li>It serves no query plans, so the Java SDK's {@code queryItems} fails; single-partition REST queries and
 *       {@code readAllItems(PartitionKey)} work.</li>
 *   <li>Reading a missing document fails with 500 (a TypeError in its read handler) where Cosmos answers 404.
 *       {@link #start} fixes that in the installed copy (one guard in {@code handler/read-document.js}), so the
 *       clients meet Cosmos's 404 and the code under test needs no stand-in case.</li>
 * </ul>
 */
final class CosmosDbServer implements AutoCloseable {

  static final String PACKAGE = "@vercel/cosmosdb-server";
  static final String VERSION = "1.0.1";
  /** Any key does; this is the form of a real one (the Cosmos DB emulator's published key). */
  static final String KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
  private static final String MISSING_DOCUMENT_500 = "if (data[path] !== clientKeys[i]) {";
  private static final String MISSING_DOCUMENT_404 = "if (!data || data[path] !== clientKeys[i]) {";

  private final LoopbackServer server;

  private CosmosDbServer(LoopbackServer server) {
    this.server = server;
  }

  static CosmosDbServer start() {
    Path modules = NpmInstall.install("cosmosdb-server-" + VERSION, Map.of(PACKAGE, VERSION));
    Path lib = modules.resolve("@vercel/cosmosdb-server/lib");
    answerMissingDocumentsWith404(lib.resolve("handler/read-document.js"));
    int port = LoopbackServer.freePort();
    Path log = LoopbackServer.LOGS.resolve("cosmosdb-server-" + port + ".log");
    return new CosmosDbServer(LoopbackServer.startNode("cosmosdb-server", lib.resolve("cli.js"),
        List.of("--host", "127.0.0.1", "--port", Integer.toString(port)), port, log, Map.of()));
  }

  /** The guard that turns the stand-in's 500 for a missing document into Cosmos's 404 (idempotent). */
  static void answerMissingDocumentsWith404(Path readDocument) {
    try {
      String source = Files.readString(readDocument);
      if (source.contains(MISSING_DOCUMENT_500)) {
        Files.writeString(readDocument, source.replace(MISSING_DOCUMENT_500, MISSING_DOCUMENT_404));
      } else if (!source.contains(MISSING_DOCUMENT_404)) {
        throw new IllegalStateException(readDocument + " has changed: the stand-in's missing-document guard "
            + "cannot be placed; check how this version answers a read of a missing document");
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot patch " + readDocument, e);
    }
  }

  /** {@code https://127.0.0.1:<port>/}. */
  URI endpoint() {
    return URI.create("https://127.0.0.1:" + server.port() + "/");
  }

  String key() {
    return KEY;
  }

  @Override
  public void close() {
    server.close();
  }
}
