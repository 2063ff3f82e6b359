package io.sebs.junit.platform.tck;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a cloud's stand-in as a process of its own, so that a run of sebs-junit (a user's project, {@code .ci/run},
 * a live-test workflow) is pointed at it with settings only, exactly as at a real account: it starts the stand-in,
 * writes the settings a run needs as a properties file (atomically, so a waiting script never reads half of it)
 * and serves until the process is stopped. The platforms' {@code *StandInMain} classes are one call to it.
 */
public final class StandInProcess {

  /**
   * A started stand-in.
   *
   * @param url where it serves, printed for the user
   * @param settings what a run pointed at it needs, written in this order
   * @param stop stops it, on the process's shutdown
   */
  public record Started(String url, Map<String, String> settings, Runnable stop) {

    /** Settings given as a flat list of keys and values, as the stand-ins' {@code settings()} return them. */
    public static Map<String, String> pairs(List<String> keysAndValues) {
      Map<String, String> settings = new LinkedHashMap<>();
      for (int i = 0; i + 1 < keysAndValues.size(); i += 2) {
        settings.put(keysAndValues.get(i), keysAndValues.get(i + 1));
      }
      return settings;
    }
  }

  private StandInProcess() {}

  /**
   * {@code args} is the properties file to write. Sets what the JDK's HTTP server and client read once (no Nagle
   * wait between a response's headers and body; no silent retry of a POST) before {@code start} runs.
   */
  public static void serve(String[] args, String mainName, String platform, Callable<Started> start)
      throws Exception {
    if (args.length != 1) {
      System.err.println("Usage: " + mainName + " <properties file to write>");
      System.exit(2);
    }
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.setProperty("sun.net.http.retryPost", "false");
    Started standIn = start.call();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      standIn.stop().run();
      stopped.countDown();
    }, platform + "-standin-stop"));
    Path file = writeSettings(Path.of(args[0]), standIn.settings());
    System.out.println(platform + " stand-in serving at " + standIn.url() + "; settings in " + file);
    stopped.await();
  }

  /** Writes {@code settings} as a properties file, whole or not at all; returns its absolute path. */
  static Path writeSettings(Path target, Map<String, String> settings) throws java.io.IOException {
    Path file = target.toAbsolutePath();
    Files.createDirectories(file.getParent());
    StringBuilder properties = new StringBuilder();
    settings.forEach((key, value) -> properties.append(key).append('=').append(value).append('\n'));
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.writeString(partial, properties, StandardCharsets.UTF_8);
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }
}
