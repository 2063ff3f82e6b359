package io.sebs.junit.platform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.pool.ClassDataSharingArchive;
import io.sebs.junit.platform.pool.PackageFolders;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java instances on the local platform start from an application class-data-sharing archive made once per package:
 * the function's classes as a jar, an archive from a training run, the JVM told to map it; off with
 * {@code sebs.local.javaCds=false}, and a plain JVM wherever the archive cannot be made.
 */
class JavaClassDataSharingTest {

  @TempDir
  Path results;

  private BenchmarkRun run;

  @AfterEach
  void close() {
    if (run != null) {
      run.close();
    }
  }

  private Invocation coldCall(String... settings) {
    String[] all = Arrays.copyOf(settings, settings.length + 2);
    all[settings.length] = "sebs.local.keepAlive";
    all[settings.length + 1] = "60s";
    run = new BenchmarkRun(Fixtures.config(results, all));
    FunctionInvoker fn = run.prepare(run.spec("901.echo", "java", "", "test", 0, 30)).invoker();
    Invocation cold = fn.invoke();
    assertThat(cold.failed()).as("%s", cold).isFalse();
    assertThat(cold.isCold()).isTrue();
    return cold;
  }

  /** The JVM arguments of the function's running instance. */
  private List<String> instanceArguments() {
    long pid = ((LocalPlatform) run.platform()).instancePids().get(0);
    return List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
  }

  @Test
  void aJavaInstanceMapsTheArchiveItsPackageWasTrainedFor() {
    coldCall();

    List<String> args = instanceArguments();
    String archive = args.stream().filter(a -> a.startsWith("-XX:SharedArchiveFile=")).findFirst().orElseThrow()
        .substring("-XX:SharedArchiveFile=".length());
    assertThat(archive).startsWith("function/target/sebs-cds-").endsWith(".jsa");
    assertThat(args).contains(ClassDataSharingArchive.JAR + java.io.File.pathSeparator + PackageFolders.JAVA_DEPENDENCIES
        + "/*");
    assertThat(args).as("the JVM's warnings stay out of the wrapper's stdout").contains("-Xlog:all=warning:stderr");
  }

  @Test
  void withTheSettingOffTheInstanceIsAPlainJvmOnTheClassesFolder() {
    coldCall(SebsConfig.LOCAL_JAVA_CDS, "false");

    assertThat(instanceArguments()).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile="))
        .contains(PackageFolders.JAVA_CLASSES + java.io.File.pathSeparator + PackageFolders.JAVA_DEPENDENCIES + "/*");
  }

  @Test
  void aPackageWhoseArchiveCannotBeMadeStartsAsAPlainJvm(@TempDir Path emptyPackage) {
    List<String> args = JavaClassDataSharing.arguments(emptyPackage, 128, "17.0.0", Duration.ofSeconds(30));

    assertThat(args).isEqualTo(PackageFolders.javaArguments(128));
  }

  @Test
  void theSettingIsTrueOrFalse() {
    SebsConfig config = Fixtures.config(results, SebsConfig.LOCAL_JAVA_CDS, "yes");

    assertThatThrownBy(config::localJavaCds).hasMessage("sebs.local.javaCds must be true or false, was yes");
  }
}
