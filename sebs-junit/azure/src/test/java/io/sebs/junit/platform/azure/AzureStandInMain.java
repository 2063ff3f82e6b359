package io.sebs.junit.platform.azure;

import io.sebs.junit.platform.tck.StandInProcess;
import java.util.Map;

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

  public static void main(String[] args) throws Exception {
    StandInProcess.serve(args, "AzureStandInMain", "azure", () -> {
      AzureStandIn standIn = new AzureStandIn(true);
      standIn.start();
      Map<String, String> settings = StandInProcess.Started.pairs(standIn.settings());
      // the Cosmos DB stand-in's certificate is self-signed: the Java client of a run pointed here accepts it
      settings.put("COSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED", "true");
      return new StandInProcess.Started(String.valueOf(standIn.url()), settings, standIn::stop);
    });
  }
}
