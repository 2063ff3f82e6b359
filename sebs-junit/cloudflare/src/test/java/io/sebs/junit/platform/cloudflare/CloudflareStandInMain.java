package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.platform.tck.StandInProcess;

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

  public static void main(String[] args) throws Exception {
    StandInProcess.serve(args, "CloudflareStandInMain", "cloudflare", () -> {
      CloudflareApiStandIn standIn = new CloudflareApiStandIn();
      standIn.start();
      return new StandInProcess.Started(standIn.base().toString(), StandInProcess.Started.pairs(standIn.settings()),
          standIn::stop);
    });
  }
}
