package io.sebs.junit.platform.azure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The stand-in of Azure ({@link AzureStandIn}: Resource Manager, function apps, Log Analytics, with Azurite and
 * cosmosdb-server behind its storage and Cosmos DB accounts) as a process of its own, so that any run of
 * sebs-junit can be pointed at it without code changes, exactly as at a real subscription: it writes the
 * settings to use (endpoints, subscription, token) as a properties file and serves until it is stopped. CI runs
 * the suite's storage benchmarks on the azure platform this way:
 *
 * <pre>
 * mvn -pl sebs-junit/azure exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.sebs.junit.platform.azure.AzureStandInMain -Dexec.args="target/azure-standin.properties"
 * </pre>
 */
public final class AzureStandInMain {

  private AzureStandInMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 1) {
      System.err.println("Usage: AzureStandInMain <properties file to write>");
      System.exit(2);
    }
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.setProperty("sun.net.http.retryPost", "false");
    AzureStandIn standIn = new AzureStandIn(true);
    standIn.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      standIn.stop();
      stopped.countDown();
    }, "azure-standin-stop"));
    Path file = Path.of(args[0]).toAbsolutePath();
    Files.createDirectories(file.getParent());
    StringBuilder properties = new StringBuilder();
    List<String> settings = standIn.settings();
    for (int i = 0; i < settings.size(); i += 2) {
      properties.append(settings.get(i)).append('=').append(settings.get(i + 1)).append('\n');
    }
    // the Cosmos DB stand-in's certificate is self-signed: the Java client of a run pointed here accepts it
    properties.append("COSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED=true\n");
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.writeString(partial, properties, StandardCharsets.UTF_8);
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    System.out.println("azure stand-in serving at " + standIn.url() + "; settings in " + file);
    stopped.await();
  }
}
