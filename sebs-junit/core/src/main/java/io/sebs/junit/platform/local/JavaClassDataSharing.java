package io.sebs.junit.platform.local;

import io.sebs.junit.platform.pool.PackageFolders;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Fast Java cold starts on the local platform: an application class-data-sharing archive (AppCDS, JDK 13+ dynamic
 * archive) made once per package and JDK, so a new instance maps the wrapper's, Jackson's and the JDK HTTP server's
 * classes already parsed and verified instead of loading them from jars. A JVM cannot archive classes from a
 * folder, so the function's classes are put in a jar first ({@value #JAR}). The archive comes from a training run of
 * the wrapper (SEBS_CDS_TRAINING=1: it loads what a cold start loads, without running the function) with {@code
 * -XX:ArchiveClassesAtExit}. Where the archive cannot be made (an old JDK, a JVM that refuses), instances start as a
 * plain JVM and the reason is logged; an archive the JVM cannot map is ignored by the JVM itself ({@code
 * -Xshare:auto}), with its warning on stderr.
 */
final class JavaClassDataSharing {

  /** The function's classes (and the wrapper compiled with them) as a jar, relative to the package folder. */
  static final String JAR = "function/target/sebs-function.jar";
  private static final Logger LOG = Logger.getLogger(JavaClassDataSharing.class.getName());
  /** One monitor per package folder in this JVM (a file lock keeps other JVMs out). */
  private static final java.util.concurrent.ConcurrentHashMap<Path, Object> LOCKS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private JavaClassDataSharing() {}

  /**
   * The archive of this package for the JDK {@code javaVersion} (the version and an identity of the java binary,
   * {@link LocalPackageBuilder}), relative to the package folder.
   */
  static String archive(String javaVersion) {
    return "function/target/sebs-cds-" + javaVersion.replaceAll("[^0-9A-Za-z._-]", "_") + ".jsa";
  }

  /**
   * JVM options and main class for an instance of the package in {@code dir}: from the archive when it exists or can
   * be made now, else those of a plain JVM ({@link PackageFolders#javaArguments(int)}).
   */
  static List<String> arguments(Path dir, int memoryMb, String javaVersion, Duration timeout) {
    Optional<String> archive;
    synchronized (LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new Object())) {
      archive = ensureLocked(dir, javaVersion, timeout);
    }
    if (archive.isEmpty()) {
      return PackageFolders.javaArguments(memoryMb);
    }
    // -Xlog: the JVM's warnings (an archive it cannot map) go to stderr, never into the wrapper's stdout protocol
    return PackageFolders.javaArguments(memoryMb, JAR,
        List.of("-XX:SharedArchiveFile=" + archive.get(), "-Xlog:disable", "-Xlog:all=warning:stderr"));
  }

  /**
   * {@link #ensure} under the package folder's file lock ({@code function/target/.sebs-cds.lock}), so JVMs sharing a
   * cache neither train at once nor see an archive beside a jar it was not made from.
   */
  private static Optional<String> ensureLocked(Path dir, String javaVersion, Duration timeout) {
    Path lockFile = dir.resolve("function/target/.sebs-cds.lock");
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock ignored = channel.lock()) {
      return ensure(dir, javaVersion, timeout);
    } catch (IOException e) {
      LOG.warning(() -> "No class-data-sharing archive for the Java package " + dir + " (instances start as a plain"
          + " JVM): cannot lock " + lockFile + ": " + e);
      return Optional.empty();
    }
  }

  /**
   * The archive's path relative to {@code dir}, made now when missing; empty (logged) when it cannot be made. The
   * jar is written once (every archive of the package was made against it: a JVM ignores an archive whose jar
   * changed).
   */
  static Optional<String> ensure(Path dir, String javaVersion, Duration timeout) {
    String archive = archive(javaVersion);
    if (Files.isRegularFile(dir.resolve(archive)) && Files.isRegularFile(dir.resolve(JAR))) {
      return Optional.of(archive);
    }
    long t0 = System.nanoTime();
    try {
      if (!Files.isRegularFile(dir.resolve(JAR))) {
        writeJar(dir.resolve(PackageFolders.JAVA_CLASSES), dir.resolve(JAR));
      }
      train(dir, archive, timeout);
    } catch (IOException | RuntimeException e) {
      LOG.warning(() -> "No class-data-sharing archive for the Java package " + dir + " (instances start as a plain"
          + " JVM): " + e);
      return Optional.empty();
    }
    LOG.info(() -> "Made the class-data-sharing archive " + dir.resolve(archive) + " in "
        + (System.nanoTime() - t0) / 1_000_000 + " ms");
    return Optional.of(archive);
  }

  /** Writes the classes folder as a jar, entries in a stable order (written beside, then moved in place). */
  static void writeJar(Path classes, Path jar) throws IOException {
    Path tmp = Files.createTempFile(jar.getParent(), "sebs-function", ".jar.tmp");
    try (OutputStream file = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(file);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path p : (Iterable<Path>) walk.filter(p -> !p.equals(classes)).sorted()::iterator) {
        String name = classes.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : "");
        out.putNextEntry(new JarEntry(name));
        if (Files.isRegularFile(p)) {
          Files.copy(p, out);
        }
        out.closeEntry();
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The training run: the wrapper from the jar, dumping what it loaded into the archive as it exits. */
  private static void train(Path dir, String archive, Duration timeout) throws IOException {
    Path target = dir.resolve(archive);
    Path tmp = Files.createTempFile(target.getParent(), "sebs-cds-", ".jsa.tmp");
    Files.delete(tmp); // the JVM writes it
    Path instance = Files.createTempDirectory("sebs-cds-training-");
    Path log = Files.createTempFile("sebs-cds-training-", ".log");
    List<String> command = new ArrayList<>(List.of("java", "-XX:ArchiveClassesAtExit=" + tmp, "-Xlog:disable",
        "-Xlog:all=warning:stderr"));
    command.addAll(PackageFolders.javaArguments(0, JAR, List.of()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().put("SEBS_CDS_TRAINING", "1");
    builder.environment().put("SEBS_INSTANCE_DIR", instance.toString());
    Process process = builder.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("the training run did not end within " + timeout);
      }
      if (process.exitValue() != 0 || !Files.isRegularFile(tmp)) {
        throw new IllegalStateException("the training run exited with " + process.exitValue()
            + (Files.isRegularFile(tmp) ? "" : " and wrote no archive") + ": "
            + Files.readString(log, StandardCharsets.UTF_8).strip());
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the training run", e);
    } finally {
      Files.deleteIfExists(tmp);
      Files.deleteIfExists(log);
      try (Stream<Path> files = Files.walk(instance)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (UncheckedIOException ignored) {
        // a leftover temp folder is harmless
      }
    }
  }
}
