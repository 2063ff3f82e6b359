package io.sebs.junit.platform.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Base images extended with the programs a benchmark's functions run ({@code "tools"} in its config.json,
 * e.g. ffmpeg for 220.video-processing): {@code <base>-<tool>-<tool>...}, built once from the base image by
 * installing the Debian packages of the same names with apt (from the mirror debootstrap recorded in the
 * image) in a one-off container on the host's network and committing it. The derived image records the id
 * of the base image it was built from and is rebuilt when the base image changes.
 */
final class ToolImages {

  static final String BASE_LABEL = "sebs-junit.base-image";
  private static final Logger LOG = Logger.getLogger(ToolImages.class.getName());
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(20);

  private final DockerClient docker;
  private final Map<String, String> labels;

  ToolImages(DockerClient docker, Map<String, String> labels) {
    this.docker = docker;
    this.labels = labels;
  }

  /** The image to run: {@code base} itself without tools, else the derived image, built when missing or stale. */
  synchronized String withTools(String base, List<String> tools) {
    if (tools.isEmpty()) {
      return base;
    }
    TreeSet<String> packages = new TreeSet<>();
    for (String tool : tools) {
      if (!tool.matches("[a-z0-9][a-z0-9.+-]*")) {
        throw new IllegalArgumentException("Tool '" + tool + "' is not a Debian package name (lower case letters, "
            + "digits, '.', '+', '-'): the docker platform installs a benchmark's tools as Debian packages; fix "
            + "\"tools\" in the benchmark's config.json");
      }
      packages.add(tool);
    }
    String image = base + "-" + String.join("-", packages).replace('+', 'p');
    String baseId = docker.inspectImageCmd(base).exec().getId();
    if (baseId.equals(builtFrom(image))) {
      return image;
    }
    long start = System.nanoTime();
    LOG.info(() -> "Building " + image + ": apt-get install " + String.join(" ", packages) + " on " + base);
    build(base, baseId, image, packages);
    LOG.info(() -> "Built " + image + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    return image;
  }

  private String builtFrom(String image) {
    try {
      InspectImageResponse inspect = docker.inspectImageCmd(image).exec();
      Map<String, String> imageLabels = inspect.getConfig() == null ? null : inspect.getConfig().getLabels();
      return imageLabels == null ? null : imageLabels.get(BASE_LABEL);
    } catch (NotFoundException e) {
      return null;
    }
  }

  private void build(String base, String baseId, String image, TreeSet<String> packages) {
    String script = "set -e; export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; "
        + "apt-get install -y -qq --no-install-recommends " + String.join(" ", packages) + " >/dev/null; "
        + "rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /usr/share/doc/* /usr/share/man/*";
    int colon = image.lastIndexOf(':');
    OneOffContainer.run(docker, docker.createContainerCmd(base)
            .withCmd("sh", "-c", script)
            .withLabels(labels)
            .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host")),
        INSTALL_TIMEOUT, "Installing " + String.join(", ", packages) + " into " + base + " with apt-get (each entry "
            + "of the benchmark's \"tools\" must be a Debian package, and the image's apt mirror, from "
            + ".ci/docker-setup's DEBIAN_MIRROR, must be reachable)",
        id -> docker.commitCmd(id).withRepository(image.substring(0, colon)).withTag(image.substring(colon + 1))
            .withLabels(Map.of(BASE_LABEL, baseId)).exec());
  }
}
