package io.sebs.junit.platform.azure;

import io.sebs.junit.process.Command;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * npm packages installed once into a folder of the cache ({@code sebs.cache.dir}), under a file lock so that
 * parallel JVMs share one install. A folder whose {@code .installed} marker exists is reused as it is.
 */
final class NpmInstall {

  private NpmInstall() {}

  /** The cache folder of the tests: {@code sebs.cache.dir}, else target/sebs-cache. */
  static Path cacheDir() {
    return Path.of(System.getProperty("sebs.cache.dir", "target/sebs-cache")).toAbsolutePath();
  }

  /**
   * Installs the packages (name to version or range) into {@code cacheDir()/folder} unless done before; returns
   * its node_modules.
   */
  static Path install(String folder, Map<String, String> packages) {
    Path dir = cacheDir().resolve(folder);
    Path modules = dir.resolve("node_modules");
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!Files.exists(dir.resolve(".installed"))) {
          if (Command.onPath("npm").isEmpty()) {
            throw new IllegalStateException("npm is not on PATH, needed to install " + packages.keySet() + ". "
                + Command.installHint("npm"));
          }
          // a package.json of its own, or npm would install into the nearest parent folder that has one
          String dependencies = packages.entrySet().stream()
              .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"").collect(Collectors.joining(","));
          Files.writeString(dir.resolve("package.json"), "{\"name\":\"sebs-" + folder.replaceAll("[^a-z0-9-]", "-")
              + "\",\"private\":true,\"dependencies\":{" + dependencies + "}}");
          Command.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--omit=dev").in(dir)
              .timeout(Duration.ofMinutes(10)).run().orThrow("npm install " + packages + " in " + dir);
          Files.writeString(dir.resolve(".installed"), packages.toString());
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot install " + packages + " into " + dir, e);
    }
    return modules;
  }
}
