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
 * Finds a function wrapper for a language: {@code wrappers/<wrapper>/<language>/} in the benchmarks
 * directory when it has one (so wrapper edits apply without a rebuild), else the copy shipped in a
 * sebs-junit jar. A wrapper is named for what it is: {@link #HTTP}, the HTTP-serving one that the pooled
 * platforms (local, docker) run, or a cloud's handler named after its platform ({@code aws}).
 */
public final class WrapperSource {

  /** The wrapper that serves the function contract over HTTP (shipped in the core jar). */
  public static final String HTTP = "http";

  private static final String CLASSPATH_ROOT = "io/sebs/junit/wrappers/";

  private final Path benchmarksDir;

  public WrapperSource(Path benchmarksDir) {
    this.benchmarksDir = benchmarksDir;
  }

  /** Relative path to content of every file of the named wrapper for the language. */
  public Map<String, byte[]> files(String wrapper, Language language) {
    Path local = benchmarksDir.resolve("wrappers").resolve(wrapper).resolve(language.id());
    if (Files.isDirectory(local)) {
      return read(local);
    }
    String resource = CLASSPATH_ROOT + wrapper + "/" + language.id();
    URL url = WrapperSource.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IllegalStateException("No " + language.id() + " wrapper '" + wrapper
          + "': neither " + local + " nor classpath:" + resource + " exists (is the platform's module on the"
          + " classpath?)");
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
