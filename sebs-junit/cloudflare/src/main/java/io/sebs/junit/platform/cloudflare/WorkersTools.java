package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.benchmark.LibraryVersions;
import io.sebs.junit.process.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * The two programs the platform runs, installed once from npm into the cache at their pinned versions
 * ({@code versions.properties}, filled in from the module's pom): workerd, the open-source Workers runtime
 * (its npm package brings the native binary through an optional dependency per OS and CPU), and esbuild,
 * which bundles a Worker. A workerd given by {@link CloudflareSettings#workerd()} is used instead of npm's.
 *
 * @param workerd the workerd binary
 * @param esbuild the esbuild binary
 */
public record WorkersTools(Path workerd, Path esbuild) {

  private static final LibraryVersions VERSIONS = new LibraryVersions("io/sebs/junit/platform/cloudflare/versions.properties");
  public static final String WORKERD_VERSION = VERSIONS.of("workerd");
  public static final String ESBUILD_VERSION = VERSIONS.of("esbuild");

  /** Installs what is missing into {@code cacheDir/cloudflare-tools-<versions>} (a file lock serialises JVMs). */
  public static WorkersTools install(Path cacheDir, Optional<Path> workerdOverride) {
    Path dir = cacheDir.resolve("cloudflare-tools-workerd-" + WORKERD_VERSION + "-esbuild-" + ESBUILD_VERSION);
    Path workerd = dir.resolve("node_modules/workerd/bin/workerd");
    Path esbuild = dir.resolve("node_modules/esbuild/bin/esbuild");
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        boolean needWorkerd = workerdOverride.isEmpty() && !Files.isExecutable(workerd);
        if (needWorkerd || !Files.isExecutable(esbuild)) {
          npmInstall(dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot install workerd and esbuild into " + dir, e);
    }
    return new WorkersTools(workerdOverride.orElse(workerd), esbuild);
  }

  private static void npmInstall(Path dir) throws IOException {
    if (Command.onPath("npm").isEmpty()) {
      throw new IllegalStateException("npm is not on PATH, needed to install workerd " + WORKERD_VERSION
          + " and esbuild " + ESBUILD_VERSION + " for the cloudflare-local platform. " + Command.installHint("npm"));
    }
    Files.writeString(dir.resolve("package.json"), "{\"name\":\"sebs-cloudflare-tools\",\"private\":true}");
    // workerd's binary arrives through an optional dependency (@cloudflare/workerd-<os>-<cpu>): keep them.
    Command.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--include=optional",
            "workerd@" + WORKERD_VERSION, "esbuild@" + ESBUILD_VERSION)
        .in(dir).timeout(Duration.ofMinutes(10)).run()
        .orThrow("npm install workerd@" + WORKERD_VERSION + " esbuild@" + ESBUILD_VERSION);
    for (String binary : new String[] {"node_modules/workerd/bin/workerd", "node_modules/esbuild/bin/esbuild"}) {
      if (!Files.isExecutable(dir.resolve(binary))) {
        throw new IllegalStateException("npm installed no " + dir.resolve(binary) + ": workerd and esbuild ship"
            + " native binaries for Linux, macOS and Windows on x64 and arm64 only; on another system set "
            + CloudflareSettings.WORKERD + " to a workerd binary built for it");
      }
    }
  }
}
