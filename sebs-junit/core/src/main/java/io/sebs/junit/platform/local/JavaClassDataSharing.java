package io.sebs.junit.platform.local;

import io.sebs.junit.benchmark.Benchmark;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.InputBridge;
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
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Fast Java cold starts on the local platform: the package's {@link ClassDataSharingArchive}, trained by a process
 * of the java on PATH, the JVM every instance runs on.
 */
final class JavaClassDataSharing {

  private static final Logger LOG = Logger.getLogger(JavaClassDataSharing.class.getName());

  private JavaClassDataSharing() {}

  /**
   * JVM options and main class for an instance of the package in {@code dir}: from the archive for the JDK {@code
   * javaVersion} (the version and an identity of the java binary, {@link LocalPackageBuilder}) when it exists or can
   * be made now, else those of a plain JVM ({@link PackageFolders#javaArguments(int)}).
   */
  static List<String> arguments(Path dir, int memoryMb, String javaVersion, Duration timeout) {
    return arguments(dir, memoryMb, javaVersion, timeout, Optional::empty);
  }

  /**
   * {@link #arguments(Path, int, String, Duration)}; a new archive's training run also invokes the handler once with
   * {@code trainingEvent} when it gives one ({@link ClassDataSharingArchive#ensure(Path, String,
   * ClassDataSharingArchive.TrainingRun, Duration, java.util.function.Supplier)}).
   */
  static List<String> arguments(Path dir, int memoryMb, String javaVersion, Duration timeout,
      Supplier<Optional<String>> trainingEvent) {
    Optional<String> archive =
        ClassDataSharingArchive.ensure(dir, javaVersion, JavaClassDataSharing::train, timeout, trainingEvent);
    return archive.map(a -> ClassDataSharingArchive.javaArguments(memoryMb, a))
        .orElseGet(() -> PackageFolders.javaArguments(memoryMb));
  }

  /**
   * The event a new archive's training run invokes the handler with: the benchmark's generated input of size {@code
   * test} ({@code generate_input} through the {@link InputBridge}, asked only when an archive is made), for a function
   * whose benchmark declares no {@code modules} (no storage, NoSQL or Redis) and whose input needs no storage; empty
   * otherwise (a workflow, no input.py, or input generation failing, logged), so such a function is trained without
   * running its handler.
   */
  static Supplier<Optional<String>> trainingEvent(FunctionSpec spec, Path cacheDir) {
    Benchmark benchmark = spec.benchmark();
    if (!benchmark.config().modules().isEmpty() || benchmark.isWorkflow() || spec.benchmark().function() != null
        || !Files.isRegularFile(benchmark.inputScript())) {
      return Optional::empty;
    }
    return () -> {
      try {
        InputBridge.GeneratedInput input = new InputBridge(cacheDir.resolve("bridge"), "python3")
            .generate(benchmark, "test", Optional.empty(), "sebs-cds-training");
        return input.needsStorage() ? Optional.empty() : Optional.of(input.input().toString());
      } catch (RuntimeException e) {
        LOG.info(() -> "The class-data-sharing training of " + spec.functionName() + " runs without its handler: "
            + "no test input (" + e.getMessage() + ")");
        return Optional.empty();
      }
    };
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
