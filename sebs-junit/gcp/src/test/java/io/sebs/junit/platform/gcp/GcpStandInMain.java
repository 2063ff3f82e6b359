package io.sebs.junit.platform.gcp;

import io.sebs.junit.platform.tck.StandInProcess;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stand-in of Google's APIs ({@link GcpStandIn}) as a process of its own, so that any run of sebs-junit can
 * be pointed at it without code changes, exactly as at a real project: it writes the settings to use (endpoint,
 * service-account key, project) as a properties file and serves until it is stopped. CI runs the suite's storage
 * benchmarks on the gcp platform this way:
 *
 * <pre>
 * mvn -pl sebs-junit/gcp exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.sebs.junit.platform.gcp.GcpStandInMain -Dexec.args="target/gcp-standin.properties"
 * </pre>
 */
public final class GcpStandInMain {

  private GcpStandInMain() {}

  public static void main(String[] args) throws Exception {
    StandInProcess.serve(args, "GcpStandInMain", "gcp", () -> {
      GcpStandIn standIn = new GcpStandIn();
      standIn.start();
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put(GcpSettings.ENDPOINT, String.valueOf(standIn.url()));
      settings.put(GcpSettings.CREDENTIALS, String.valueOf(standIn.keyFile()));
      settings.put(GcpSettings.PROJECT, standIn.project());
      return new StandInProcess.Started(String.valueOf(standIn.url()), settings, standIn::stop);
    });
  }
}
