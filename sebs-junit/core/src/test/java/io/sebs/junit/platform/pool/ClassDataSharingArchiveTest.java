package io.sebs.junit.platform.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive of a package is made once per JVM build by the platform's training run, which gets the command that
 * writes it; a failed training leaves no archive and no instance options pointing at one.
 */
class ClassDataSharingArchiveTest {

  @Test
  void theJarHoldsTheClassesFolderAsItIs(@TempDir Path dir) throws Exception {
    Path classes = Files.createDirectories(dir.resolve("classes/function"));
    Files.writeString(classes.resolve("Function.class"), "bytes");
    Files.writeString(dir.resolve("classes/app.properties"), "a=1");

    ClassDataSharingArchive.writeJar(dir.resolve("classes"), dir.resolve("f.jar"));

    try (JarFile jar = new JarFile(dir.resolve("f.jar").toFile())) {
      assertThat(jar.stream().map(java.util.zip.ZipEntry::getName))
          .containsExactly("app.properties", "function/", "function/Function.class");
      assertThat(new String(jar.getInputStream(jar.getEntry("function/Function.class")).readAllBytes()))
          .isEqualTo("bytes");
    }
  }

  private static Path javaPackage(Path dir) throws Exception {
    Files.createDirectories(dir.resolve(PackageFolders.JAVA_CLASSES).resolve("function"));
    Files.writeString(dir.resolve(PackageFolders.JAVA_CLASSES).resolve("function/Function.class"), "bytes");
    return dir;
  }

  /** A stand-in for a platform's training: records the command and writes what -XX:ArchiveClassesAtExit names. */
  private static ClassDataSharingArchive.TrainingRun writing(List<List<String>> commands) {
    return (dir, command, timeout) -> {
      commands.add(command);
      String option = command.stream().filter(a -> a.startsWith("-XX:ArchiveClassesAtExit=")).findFirst()
          .orElseThrow();
      Files.writeString(dir.resolve(option.substring(option.indexOf('=') + 1)), "archive");
    };
  }

  @Test
  void theTrainingRunsOncePerJvmBuildAndItsArchiveIsReused(@TempDir Path dir) throws Exception {
    javaPackage(dir);
    List<List<String>> commands = new ArrayList<>();

    var first = ClassDataSharingArchive.ensure(dir, "img:1", writing(commands), Duration.ofSeconds(5));
    var again = ClassDataSharingArchive.ensure(dir, "img:1", writing(commands), Duration.ofSeconds(5));
    var other = ClassDataSharingArchive.ensure(dir, "img:2", writing(commands), Duration.ofSeconds(5));

    assertThat(first).contains("function/target/sebs-cds-img_1.jsa").isEqualTo(again);
    assertThat(other).contains("function/target/sebs-cds-img_2.jsa");
    assertThat(commands).hasSize(2);
    assertThat(commands.get(0)).startsWith("java").contains("-XX:ArchiveClassesAtExit=function/target/sebs-cds-img_1"
        + ".jsa.tmp", "sebs.wrapper.Handler");
    assertThat(dir.resolve(ClassDataSharingArchive.JAR)).isRegularFile();
    assertThat(ClassDataSharingArchive.javaArguments(64, first.orElseThrow())).contains("-Xmx64m",
        "-XX:SharedArchiveFile=function/target/sebs-cds-img_1.jsa", "-Xlog:all=warning:stderr");
  }

  @Test
  void aTrainingThatFailsOrWritesNothingGivesNoArchive(@TempDir Path dir) throws Exception {
    javaPackage(dir);
    AtomicInteger runs = new AtomicInteger();

    var failed = ClassDataSharingArchive.ensure(dir, "a", (d, c, t) -> {
      runs.incrementAndGet();
      throw new IllegalStateException("exited with 1");
    }, Duration.ofSeconds(5));
    var silent = ClassDataSharingArchive.ensure(dir, "b", (d, c, t) -> runs.incrementAndGet(), Duration.ofSeconds(5));

    assertThat(failed).isEmpty();
    assertThat(silent).isEmpty();
    assertThat(runs).hasValue(2);
    try (var files = Files.list(dir.resolve("function/target"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".jsa"));
    }
  }
}
