package io.sebs.junit.platform.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.platform.pool.ClassDataSharingArchive;
import io.sebs.junit.platform.pool.PackageFolders;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The images functions run in, one per language, built without any registry by {@code .ci/docker-setup}
 * (a debootstrapped Debian imported with {@code docker import}): {@value #PYTHON} (Debian's python3 and
 * pip), {@value #NODEJS} (Debian's nodejs) and {@value #JAVA} (Debian's OpenJDK 17 JRE).
 */
final class BaseImages {

  static final String PYTHON = "sebs-junit/python:3.11";
  static final String NODEJS = "sebs-junit/nodejs:18";
  static final String JAVA = "sebs-junit/java:17";
  /**
   * The share of a Java function's memory given to its heap. The container's hard limit covers the whole
   * JVM (heap, metaspace, code cache, thread stacks), so the heap cannot have all of it as on the local
   * platform; AWS Lambda's Java runtimes leave a similar margin.
   */
  static final double JAVA_HEAP_SHARE = 0.85;

  private BaseImages() {}

  /**
   * The version of a language's runtime in its base image, as SeBS writes versions ("3.11", "18"): the
   * image's tag, which selects per-interpreter dependency files ({@code CodePackage.forRuntime}).
   */
  static String runtimeVersion(Language language) {
    String image = switch (language) {
      case PYTHON -> PYTHON;
      case NODEJS -> NODEJS;
      case JAVA -> JAVA;
    };
    return image.substring(image.indexOf(':') + 1);
  }

  /**
   * The image for a language and requested version ("" = the image's), checked to exist in the engine.
   *
   * @throws IllegalStateException when there is no image for it, naming what to do
   */
  static String forLanguage(DockerClient docker, Language language, String version) {
    String image = switch (language) {
      case PYTHON -> PYTHON;
      case NODEJS -> NODEJS;
      case JAVA -> JAVA;
    };
    String imageVersion = image.substring(image.indexOf(':') + 1);
    if (!version.isEmpty() && !version.equals(imageVersion) && !version.startsWith(imageVersion + ".")
        && !imageVersion.startsWith(version + ".")) {
      throw new IllegalStateException(language.id() + " " + version + " was requested but the docker platform's "
          + "image is " + image + ": remove languageVersion or use " + imageVersion);
    }
    try {
      docker.inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      throw new IllegalStateException("The Docker engine has no image " + image + " (the docker platform's "
          + language.id() + " runtime). Build the base images with .ci/docker-setup (no registry needed).");
    }
    return image;
  }

  /**
   * The command that starts the local wrapper in the package folder (the container's working dir); a Java
   * instance's heap is {@link #JAVA_HEAP_SHARE} of the function's memory, and it maps the class-data-sharing
   * {@code javaArchive} when there is one (relative to the package folder).
   */
  static List<String> wrapperCommand(Language language, int memoryMb, Optional<String> javaArchive) {
    return switch (language) {
      case PYTHON -> List.of("python3", "handler.py");
      case NODEJS -> List.of("node", "handler.js");
      case JAVA -> {
        int heapMb = (int) Math.max(16, Math.floor(memoryMb * JAVA_HEAP_SHARE));
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(javaArchive.map(a -> ClassDataSharingArchive.javaArguments(heapMb, a))
            .orElseGet(() -> PackageFolders.javaArguments(heapMb)));
        yield command;
      }
    };
  }
}
