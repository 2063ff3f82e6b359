package io.sebs.junit.platform.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.DependencyFailure;
import io.sebs.junit.benchmark.JavaFunctionBuild;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.platform.pool.ClassDataSharingArchive;
import io.sebs.junit.platform.pool.PackageFolders;
import io.sebs.junit.process.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Package folders for containers, once per code hash (the local platform's folder logic, in the cache's
 * {@code docker/packages}). Python dependencies are installed INSIDE the base image, so compiled
 * extensions match the image's interpreter and libraries: this machine's pip, with its configured
 * indexes, resolves the requirements and downloads the wheels ({@code pip download}) into the folder; a
 * one-off container of the base image then installs exactly those ({@code pip install --no-index --no-deps
 * --target .python-packages}, the wrapper's PYTHONPATH). The resolution is this machine's: a dependency
 * whose marker holds only for the image's patch release is not added (e.g. redis's async-timeout, imported
 * below Python 3.11.3, where the image's Debian Python is 3.11.2; the function-side redis module stands in
 * the standard library's asyncio.timeout for it). Node.js dependencies are installed with this machine's npm (node_modules is portable apart
 * from native add-ons, which npm fetches for linux-x64 glibc like the image's). Java functions are compiled
 * with this machine's Maven as on the local platform (bytecode is portable; the image has a JRE 17); their
 * class-data-sharing archive is made by the image's own JVM ({@link #classDataSharingArchive}).
 */
final class DockerPackageBuilder {

  private static final Logger LOG = Logger.getLogger(DockerPackageBuilder.class.getName());
  private static final String WHEELS = ".wheels";

  private final DockerClient docker;
  private final Path root;
  private final Map<String, String> labels;

  DockerPackageBuilder(DockerClient docker, Path cacheDir, Map<String, String> labels) {
    this.docker = docker;
    this.root = cacheDir.resolve("docker").resolve("packages");
    this.labels = labels;
  }

  PackageFolders.ReadyFolder build(String functionName, CodePackage code, Language language, String image) {
    return PackageFolders.readyFolder(root, functionName, code, dir -> {
      switch (language) {
        case PYTHON -> installPython(dir, code, image);
        case NODEJS -> PackageFolders.installNodeModules(dir, code);
        case JAVA -> JavaFunctionBuild.compile(dir, "for the docker platform");
      }
    });
  }

  private void installPython(Path dir, CodePackage code, String image) throws IOException {
    Path requirements = dir.resolve("function").resolve(Language.PYTHON.dependencyFile());
    if (!Files.isRegularFile(requirements) || Files.readAllLines(requirements).stream()
        .map(String::strip).noneMatch(l -> !l.isEmpty() && !l.startsWith("#"))) {
      return;
    }
    if (Command.onPath("python3").isEmpty()) {
      throw new IllegalStateException("python3 is not on PATH: the docker platform downloads a function's wheels "
          + "with this machine's pip. " + Command.installHint("python3"));
    }
    LOG.info(() -> "Downloading Python wheels for " + dir.getFileName());
    Command.Result download = Command.of("python3", "-m", "pip", "download", "--quiet",
            "--disable-pip-version-check", "--no-input", "--dest", dir.resolve(WHEELS).toString(),
            "-r", requirements.toString())
        .in(dir).timeout(Duration.ofMinutes(15)).run();
    DependencyFailure.check(download, Language.PYTHON, code, "pip download",
        "pip download -r " + requirements + " (the wheels the container installs)");
    LOG.info(() -> "Installing Python dependencies inside " + image + " for " + dir.getFileName());
    String container = PACKAGE + "/";
    List<String> command = new java.util.ArrayList<>(List.of("python3", "-m", "pip", "install", "--quiet",
        "--no-index", "--no-input", "--disable-pip-version-check", "--no-compile", "--no-deps",
        "--target", container + ContainerInstance.PYTHON_PACKAGES));
    try (var files = Files.list(dir.resolve(WHEELS))) {
      files.map(f -> container + WHEELS + "/" + f.getFileName()).sorted().forEach(command::add);
    }
    runOnce(image, dir, command);
    Command.deleteTree(dir.resolve(WHEELS));
  }

  private static final String PACKAGE = ContainerInstance.PACKAGE_DIR;

  /**
   * The Java package's class-data-sharing archive for {@code image} (relative to the package folder), made now when
   * missing by a training run in a one-off container of that image, with the folder mounted where instances see it:
   * only the JVM build that made an archive can map it, and its class path (the jar's path, size and time) must be
   * the instances' own. One archive per image id, so a rebuilt image (another JVM) gets its own. Empty, logged, when
   * it cannot be made (instances then start as a plain JVM).
   */
  Optional<String> classDataSharingArchive(Path dir, String image) {
    String imageId;
    try {
      imageId = docker.inspectImageCmd(image).exec().getId();
    } catch (RuntimeException e) {
      LOG.warning(() -> "No class-data-sharing archive for " + dir + ": cannot inspect " + image + ": " + e);
      return Optional.empty();
    }
    String identity = "docker-" + imageId.substring(imageId.indexOf(':') + 1).substring(0, 12);
    return ClassDataSharingArchive.ensure(dir, identity, (d, command, timeout) -> runOnce(image, d, command,
        List.of("SEBS_CDS_TRAINING=1", "SEBS_INSTANCE_DIR=" + ContainerInstance.INSTANCE_DIR), timeout),
        Duration.ofMinutes(5));
  }

  /** Runs a command in a one-off container with the package folder mounted writable; fails on non-zero exit. */
  private void runOnce(String image, Path dir, List<String> command) {
    runOnce(image, dir, command, List.of("PIP_BREAK_SYSTEM_PACKAGES=1", "PIP_ROOT_USER_ACTION=ignore"),
        Duration.ofMinutes(15));
  }

  private void runOnce(String image, Path dir, List<String> command, List<String> env, Duration timeout) {
    OneOffContainer.run(docker, docker.createContainerCmd(image)
            .withCmd(command)
            .withWorkingDir(PACKAGE)
            .withEnv(env)
            .withLabels(labels)
            .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")
                .withBinds(new Bind(dir.toString(), new Volume(PACKAGE), AccessMode.rw))),
        timeout, "'" + String.join(" ", command) + "' in " + image, id -> { });
  }
}
