package io.sebs.junit.platform.gcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

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

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 1) {
      System.err.println("Usage: GcpStandInMain <properties file to write>");
      System.exit(2);
    }
    // answer without Nagle's 40 ms wait for a delayed ACK between a response's headers and its body (read once,
    // when the JDK's HTTP server is first used; the module's tests set it in Surefire's configuration)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.setProperty("sun.net.http.retryPost", "false");
    GcpStandIn standIn = new GcpStandIn();
    standIn.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      standIn.stop();
      stopped.countDown();
    }, "gcp-standin-stop"));
    Path file = Path.of(args[0]).toAbsolutePath();
    Files.createDirectories(file.getParent());
    String properties = GcpSettings.ENDPOINT + "=" + standIn.url() + "\n"
        + GcpSettings.CREDENTIALS + "=" + standIn.keyFile() + "\n"
        + GcpSettings.PROJECT + "=" + standIn.project() + "\n";
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.writeString(partial, properties, StandardCharsets.UTF_8);
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    System.out.println("gcp stand-in serving at " + standIn.url() + "; settings in " + file);
    stopped.await();
  }
}
