package io.sebs.junit.platform.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * sharp on Workers: the npm package sharp is libvips in a native addon, which Workers cannot load, so a benchmark
 * whose own code requires it (SeBS's 210.thumbnailer) is bundled with {@code require('sharp')} resolved to the
 * wrapper's {@value #MODULE} (the part of sharp's API SeBS's 210 uses, over jimp, pure JavaScript). jimp's packages are installed
 * from npm at the version the module's pom pins into the cache once, on the first bundle that needs it, and esbuild
 * finds it there (NODE_PATH). sharp itself is taken out of the function's package.json before npm installs it: its
 * native install would be wasted, and SeBS's older pins ({@code ^0.25}) do not install on today's Node.js.
 */
final class SharpPolyfill {

  /** The wrapper file (at the package folder's root) that stands in for sharp. */
  static final String MODULE = "sebs-sharp.js";
  static final String PACKAGE = "sharp";
  static final String JIMP_VERSION =
      new LibraryVersions("io/sebs/junit/platform/cloudflare/versions.properties").of("jimp");

  /**
   * jimp's packages the polyfill requires, all at jimp's version (jimp's release pins them together); pngjs arrives
   * with {@code @jimp/js-png}.
   */
  static final List<String> JIMP_PACKAGES = List.of("@jimp/core", "@jimp/js-jpeg", "@jimp/js-png",
      "@jimp/plugin-resize", "@jimp/plugin-crop", "@jimp/plugin-cover");

  /** esbuild's option resolving the package to the polyfill (relative to the package folder, where esbuild runs). */
  static final String ESBUILD_ALIAS = "--alias:" + PACKAGE + "=./" + MODULE;

  private static final Pattern REQUIRES_SHARP =
      Pattern.compile("require\\(\\s*['\"]sharp['\"]\\s*\\)|from\\s*['\"]sharp['\"]|import\\(\\s*['\"]sharp['\"]\\s*\\)");

  private SharpPolyfill() {}

  /** What bundles made with the polyfill depend on, for {@link WorkerBundle#buildId()}. */
  static String buildId() {
    return ESBUILD_ALIAS + " jimp@" + JIMP_VERSION;
  }

  /** Whether the function in the package folder uses sharp: its package.json depends on it or its code requires it. */
  static boolean usedBy(Path packageDir) {
    Path function = packageDir.resolve("function");
    Path packageJson = function.resolve("package.json");
    try {
      if (Files.isRegularFile(packageJson)
          && new ObjectMapper().readTree(packageJson.toFile()).path("dependencies").has(PACKAGE)) {
        return true;
      }
      if (!Files.isDirectory(function)) {
        return false;
      }
      try (Stream<Path> files = Files.walk(function)) {
        for (Path file : (Iterable<Path>) files.filter(f -> f.toString().matches(".*\\.(js|cjs|mjs)$"))
            .filter(f -> !function.relativize(f).toString().contains("node_modules"))::iterator) {
          if (REQUIRES_SHARP.matcher(Files.readString(file)).find()) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the function in " + function, e);
    }
  }

  /** Takes sharp out of the function's package.json dependencies (the bundle gets the polyfill instead). */
  static void dropDependency(Path packageDir) {
    Path packageJson = packageDir.resolve("function").resolve("package.json");
    if (!Files.isRegularFile(packageJson)) {
      return;
    }
    try {
      ObjectMapper json = new ObjectMapper();
      JsonNode root = json.readTree(packageJson.toFile());
      if (root.path("dependencies") instanceof ObjectNode dependencies && dependencies.has(PACKAGE)) {
        dependencies.remove(PACKAGE);
        Files.writeString(packageJson, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot rewrite " + packageJson, e);
    }
  }

  /**
   * The node_modules folder holding jimp's packages at their pinned version, installed into {@code cacheDir} once (a file lock
   * serialises JVMs).
   */
  static Path libraries(Path cacheDir) {
    Path dir = cacheDir.resolve("cloudflare-polyfill-jimp-" + JIMP_VERSION);
    Path modules = dir.resolve("node_modules");
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!JIMP_PACKAGES.stream().allMatch(p -> Files.isRegularFile(modules.resolve(p).resolve("package.json")))) {
          if (Command.onPath("npm").isEmpty()) {
            throw new IllegalStateException("npm is not on PATH, needed to install jimp " + JIMP_VERSION
                + " for the Workers polyfill of sharp. " + Command.installHint("npm"));
          }
          Files.writeString(dir.resolve("package.json"), "{\"name\":\"sebs-cloudflare-polyfill\",\"private\":true}");
          List<String> install = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund",
              "--loglevel=error"));
          JIMP_PACKAGES.forEach(p -> install.add(p + "@" + JIMP_VERSION));
          Command.of(install).in(dir).timeout(Duration.ofMinutes(10)).run()
              .orThrow(String.join(" ", install) + " (the Workers polyfill of sharp)");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot install jimp into " + dir, e);
    }
    return modules;
  }
}
