package io.sebs.junit.platform.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Frame;
import io.sebs.junit.Invocation;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.pool.ClassDataSharingArchive;
import io.sebs.junit.platform.pool.PackageFolders;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java containers start from the package's class-data-sharing archive, made once per code hash and image by a
 * training container of that image: a second deployment reuses the archive, and the container's JVM really maps it
 * (the file is in the memory map of the container's PID 1, the JVM, which it is not when the JVM ignored it); {@code
 * sebs.docker.javaCds=false} starts a plain JVM. Skipped when no Docker engine answers.
 */
class DockerJavaClassDataSharingTest {

  private static DockerClient docker;

  @TempDir
  Path results;

  @BeforeEach
  void engine() {
    docker = TestDockerEngine.clientOrSkip();
  }

  /** What one cold call of the Java echo function ran in: the container's command, package folder and memory map. */
  private record ColdContainer(List<String> command, Path packageDir, String maps) {}

  private ColdContainer coldJavaContainer(String... settings) throws Exception {
    String[] all = Arrays.copyOf(settings, settings.length + 4);
    all[settings.length] = "sebs.platform";
    all[settings.length + 1] = "docker";
    all[settings.length + 2] = DockerSettings.KEEP_ALIVE;
    all[settings.length + 3] = "60s";
    try (BenchmarkRun run = new BenchmarkRun(Fixtures.config(results, all))) {
      // 30 s timeout: a JVM's first request on a quarter CPU takes seconds without the archive
      PreparedFunction prepared = run.prepare(run.spec("901.echo", "java", "", "test", 256, 30));
      Invocation cold = prepared.invoker().invoke();
      assertThat(cold.failed()).as("%s", cold).isFalse();
      assertThat(cold.isCold()).isTrue();
      String id = ((DockerPlatform) run.platform()).containerIds(prepared.deployed()).get(0);
      InspectContainerResponse container = docker.inspectContainerCmd(id).exec();
      Path packageDir = Path.of(Arrays.stream(container.getHostConfig().getBinds())
          .filter(b -> b.getVolume().getPath().equals(ContainerInstance.PACKAGE_DIR)).findFirst().orElseThrow()
          .getPath());
      return new ColdContainer(List.of(container.getConfig().getCmd()), packageDir, exec(id, "cat", "/proc/1/maps"));
    }
  }

  /** A command's stdout in a running container. */
  private static String exec(String containerId, String... command) throws InterruptedException {
    String exec = docker.execCreateCmd(containerId).withCmd(command).withAttachStdout(true).withAttachStderr(true)
        .exec().getId();
    StringBuilder out = new StringBuilder();
    docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
      @Override
      public void onNext(Frame frame) {
        out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
      }
    }).awaitCompletion(30, TimeUnit.SECONDS);
    return out.toString();
  }

  private static String archiveOption(List<String> command) {
    return command.stream().filter(a -> a.startsWith("-XX:SharedArchiveFile=")).findFirst()
        .orElseThrow(() -> new AssertionError("no -XX:SharedArchiveFile in " + command))
        .substring("-XX:SharedArchiveFile=".length());
  }

  @Test
  void aJavaFunctionDeployedTwiceReusesTheArchiveWhichItsContainersJvmMaps() throws Exception {
    ColdContainer first = coldJavaContainer();
    String archive = archiveOption(first.command());
    Path file = first.packageDir().resolve(archive);
    BasicFileAttributes made = Files.readAttributes(file, BasicFileAttributes.class);

    ColdContainer second = coldJavaContainer();

    String imageId = docker.inspectImageCmd(BaseImages.JAVA).exec().getId();
    assertThat(archive).isEqualTo("function/target/sebs-cds-docker-"
        + imageId.substring(imageId.indexOf(':') + 1, imageId.indexOf(':') + 13) + ".jsa");
    assertThat(first.command()).contains(ClassDataSharingArchive.JAR + ":" + PackageFolders.JAVA_DEPENDENCIES + "/*");
    assertThat(second.packageDir()).isEqualTo(first.packageDir());
    assertThat(archiveOption(second.command())).isEqualTo(archive);
    BasicFileAttributes reused = Files.readAttributes(file, BasicFileAttributes.class);
    assertThat(reused.fileKey()).as("the same file, not a new training's").isEqualTo(made.fileKey());
    assertThat(reused.lastModifiedTime()).isEqualTo(made.lastModifiedTime());
    assertThat(first.maps()).as("the first container's JVM maps the archive")
        .contains(ContainerInstance.PACKAGE_DIR + "/" + archive);
    assertThat(second.maps()).as("the second container's JVM maps the archive")
        .contains(ContainerInstance.PACKAGE_DIR + "/" + archive);
  }

  @Test
  void withTheSettingOffAJavaContainerIsAPlainJvmOnTheClassesFolder() throws Exception {
    ColdContainer plain = coldJavaContainer(DockerSettings.JAVA_CDS, "false");

    assertThat(plain.command()).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile="))
        .contains(PackageFolders.JAVA_CLASSES + ":" + PackageFolders.JAVA_DEPENDENCIES + "/*");
    assertThat(plain.maps()).as("the JDK's own archive only").contains("classes.jsa").doesNotContain("sebs-cds-");
  }

  @Test
  void theSettingIsTrueOrFalse() {
    SebsConfig config = Fixtures.config(results, DockerSettings.JAVA_CDS, "no thanks");

    assertThatThrownBy(() -> DockerSettings.from(config))
        .hasMessage("sebs.docker.javaCds must be true or false, was no thanks");
  }
}
