package io.sebs.junit.platform.local;

import io.sebs.junit.platform.pool.ClassDataSharingArchive;
import io.sebs.junit.platform.pool.PackageFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fast Java cold starts on the local platform: the package's {@link ClassDataSharingArchive}, trained by a process
 * of the java on PATH, the JVM every instance runs on.
 */
final class JavaClassDataSharing {

  private JavaClassDataSharing() {}

  /**
   * JVM options and main class for an instance of the package in {@code dir}: from the archive for the JDK {@code
   * javaVersion} (the version and an identity of the java binary, {@link LocalPackageBuilder}) when it exists or can
   * be made now, else those of a plain JVM ({@link PackageFolders#javaArguments(int)}).
   */
  static List<String> arguments(Path dir, int memoryMb, String javaVersion, Duration timeout) {
    Optional<String> archive = ClassDataSharingArchive.ensure(dir, javaVersion, JavaClassDataSharing::train, timeout);
    return archive.map(a -> ClassDataSharingArchive.javaArguments(memoryMb, a))
        .orElseGet(() -> PackageFolders.javaArguments(memoryMb));
  }

  /** The training run as a child process, with its own scratch folder. */
  private static void train(Path dir, List<String> command, Duration timeout) throws IOException {
    Path instance = Files.createTempDirectory("sebs-cds-training-");
    Path log = Files.createTempFile("sebs-cds-training-", ".log");
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
      if (process.exitValue() != 0) {
        throw new IllegalStateException("the training run exited with " + process.exitValue() + ": "
            + Files.readString(log, StandardCharsets.UTF_8).strip());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the training run", e);
    } finally {
      Files.deleteIfExists(log);
      try (Stream<Path> files = Files.walk(instance)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (UncheckedIOException ignored) {
        // a leftover temp folder is harmless
      }
    }
  }
}
