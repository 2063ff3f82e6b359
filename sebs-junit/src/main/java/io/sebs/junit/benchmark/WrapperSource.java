package io.sebs.junit.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds a platform's function wrapper for a language: {@code wrappers/<platform>/<language>/} in the
 * benchmarks directory when it has one (so wrapper edits apply without a rebuild), else the copy shipped
 * in the sebs-junit jar.
 */
public final class WrapperSource {

  private static final String CLASSPATH_ROOT = "io/sebs/junit/wrappers/";

  private final Path benchmarksDir;

  public WrapperSource(Path benchmarksDir) {
    this.benchmarksDir = benchmarksDir;
  }

  /** Relative path to content of every wrapper file. */
  public Map<String, byte[]> files(String platform, Language language) {
    Path local = benchmarksDir.resolve("wrappers").resolve(platform).resolve(language.id());
    if (Files.isDirectory(local)) {
      return read(local);
    }
    String resource = CLASSPATH_ROOT + platform + "/" + language.id();
    URL url = WrapperSource.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IllegalStateException("No " + language.id() + " wrapper for platform " + platform
          + ": neither " + local + " nor classpath:" + resource + " exists");
    }
    try {
      URI uri = url.toURI();
      if (uri.getScheme().equals("jar")) {
        FileSystem fs;
        try {
          fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(uri);
        }
        return read(fs.getPath(resource));
      }
      return read(Path.of(uri));
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("Cannot read wrapper " + url, e);
    }
  }

  private static Map<String, byte[]> read(Path dir) {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(dir.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read wrapper files in " + dir, e);
    }
    return files;
  }
}
