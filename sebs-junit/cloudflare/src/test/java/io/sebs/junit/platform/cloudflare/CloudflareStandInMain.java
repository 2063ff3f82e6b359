package io.sebs.junit.platform.cloudflare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The Cloudflare API stand-in ({@link CloudflareApiStandIn}: the Workers Scripts and R2 bucket endpoints,
 * workers.dev, each uploaded version run by workerd) as a process of its own, so that a run of sebs-junit is
 * pointed at it with settings only, exactly as at a real account: it writes those settings (API and workers URLs,
 * token, account, R2 endpoint and keys) as a properties file and serves until it is stopped:
 *
 * <pre>
 * mvn -pl sebs-junit/cloudflare exec:java -Dexec.classpathScope=test -Dsebs.cache.dir=$PWD/.sebs-cache \
 *     -Dexec.mainClass=io.sebs.junit.platform.cloudflare.CloudflareStandInMain \
 *     -Dexec.args="target/cloudflare-standin.properties"
 * </pre>
 */
public final class CloudflareStandInMain {

  private CloudflareStandInMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 1) {
      System.err.println("Usage: CloudflareStandInMain <properties file to write>");
      System.exit(2);
    }
    System.setProperty("sun.net.httpserver.nodelay", "true");
    CloudflareApiStandIn standIn = new CloudflareApiStandIn();
    standIn.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      standIn.stop();
      stopped.countDown();
    }, "cloudflare-standin-stop"));
    Path file = Path.of(args[0]).toAbsolutePath();
    Files.createDirectories(file.getParent());
    StringBuilder properties = new StringBuilder();
    List<String> settings = standIn.settings();
    for (int i = 0; i < settings.size(); i += 2) {
      properties.append(settings.get(i)).append('=').append(settings.get(i + 1)).append('\n');
    }
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.writeString(partial, properties, StandardCharsets.UTF_8);
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    System.out.println("cloudflare stand-in serving at " + standIn.base() + "; settings in " + file);
    stopped.await();
  }
}
