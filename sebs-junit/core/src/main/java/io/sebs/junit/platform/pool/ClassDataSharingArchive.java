package io.sebs.junit.platform.pool;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A Java package's application class-data-sharing archive (AppCDS, JDK 13+ dynamic archive), made once per package
 * and JVM build, so a new instance maps the wrapper's and the JDK HTTP server's classes already parsed and
 * verified instead of loading them from jars. A JVM cannot archive classes from a folder, so the function's classes
 * are put in a jar first ({@value #JAR}). The archive comes from a training run of the wrapper (SEBS_CDS_TRAINING=1:
 * it loads what a cold start loads, without running the function) with {@code -XX:ArchiveClassesAtExit}; only the
 * JVM build that made an archive can map it, so each platform runs the training where its instances run ({@link
 * TrainingRun}: a process on the local platform, a one-off container of the function's image on docker). Where the
 * archive cannot be made, instances start as a plain JVM and the reason is logged; an archive the JVM cannot map is
 * ignored by the JVM itself ({@code -Xshare:auto}), with its warning on stderr. Paths are relative to the package
 * folder, the working directory of the training run and of every instance.
 */
public final class ClassDataSharingArchive {

  /** The function's classes (and the wrapper compiled with them) as a jar, relative to the package folder. */
  public static final String JAR = "function/target/sebs-function.jar";
  private static final Logger LOG = Logger.getLogger(ClassDataSharingArchive.class.getName());
  /** One monitor per package folder in this JVM (a file lock keeps other JVMs out). */
  private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();
  /** The JVM's warnings (an archive it cannot map) go to stderr, never into the wrapper's stdout protocol. */
  private static final List<String> LOG_TO_STDERR = List.of("-Xlog:disable", "-Xlog:all=warning:stderr");

  private ClassDataSharingArchive() {}

  /** How a platform runs the training where its instances run. */
  @FunctionalInterface
  public interface TrainingRun {

    /**
     * Runs {@code command} (from {@code java} on) with the package folder {@code dir} as working directory and the
     * environment SEBS_CDS_TRAINING=1 and a writable SEBS_INSTANCE_DIR.
     *
     * @throws IOException or a RuntimeException when it cannot run, exits with non-zero or outlasts {@code timeout},
     *     with its output in the message
     */
    void run(Path dir, List<String> command, Duration timeout) throws IOException;
  }

  /**
   * The archive for the JVM build {@code jvmIdentity} (any string naming it, e.g. a version and a hash of the binary,
   * or an image id), relative to the package folder.
   */
  public static String archive(String jvmIdentity) {
    return "function/target/sebs-cds-" + jvmIdentity.replaceAll("[^0-9A-Za-z._-]", "_") + ".jsa";
  }

  /** JVM options and main class for an instance mapping {@code archive} ({@link PackageFolders#javaArguments}). */
  public static List<String> javaArguments(int memoryMb, String archive) {
    List<String> options = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive));
    options.addAll(LOG_TO_STDERR);
    return PackageFolders.javaArguments(memoryMb, JAR, options);
  }

  /**
   * The archive's path relative to {@code dir}, made now by {@code training} when missing; empty (logged) when it
   * cannot be made. Under one monitor per folder in this JVM and the folder's file lock ({@code
   * function/target/.sebs-cds.lock}), so JVMs sharing a cache neither train at once nor see an archive beside a jar it
   * was not made from. The jar is written once (every archive of the package was made against it: a JVM ignores an
   * archive whose jar changed).
   */
  public static Optional<String> ensure(Path dir, String jvmIdentity, TrainingRun training, Duration timeout) {
    synchronized (LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new Object())) {
      Path lockFile = dir.resolve("function/target/.sebs-cds.lock");
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        return ensureLocked(dir, jvmIdentity, training, timeout);
      } catch (IOException e) {
        LOG.warning(() -> "No class-data-sharing archive for the Java package " + dir + " (instances start as a plain"
            + " JVM): cannot lock " + lockFile + ": " + e);
        return Optional.empty();
      }
    }
  }

  private static Optional<String> ensureLocked(Path dir, String jvmIdentity, TrainingRun training,
      Duration timeout) {
    String archive = archive(jvmIdentity);
    if (Files.isRegularFile(dir.resolve(archive)) && Files.isRegularFile(dir.resolve(JAR))) {
      return Optional.of(archive);
    }
    long t0 = System.nanoTime();
    Path target = dir.resolve(archive);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      if (!Files.isRegularFile(dir.resolve(JAR))) {
        writeJar(dir.resolve(PackageFolders.JAVA_CLASSES), dir.resolve(JAR));
      }
      Files.deleteIfExists(tmp); // the JVM writes it
      List<String> command = new ArrayList<>(List.of("java", "-XX:ArchiveClassesAtExit=" + dir.relativize(tmp)));
      command.addAll(LOG_TO_STDERR);
      command.addAll(PackageFolders.javaArguments(0, JAR, List.of()));
      training.run(dir, command, timeout);
      if (!Files.isRegularFile(tmp)) {
        throw new IllegalStateException("the training run wrote no archive");
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      LOG.warning(() -> "No class-data-sharing archive for the Java package " + dir + " (instances start as a plain"
          + " JVM): " + e);
      return Optional.empty();
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a leftover is overwritten by the next training
      }
    }
    LOG.info(() -> "Made the class-data-sharing archive " + target + " in " + (System.nanoTime() - t0) / 1_000_000
        + " ms");
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
}
