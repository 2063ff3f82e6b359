package io.sebs.junit.platform.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lists and removes what the docker platform left behind: containers labelled {@value DockerPlatform#LABEL}
 * (function instances and dependency installs), optionally only those of one run. From the command line:
 * {@code java -cp ... io.sebs.junit.platform.docker.DockerResources [--delete] [--run <run id>]} (lists
 * by default; the engine is DOCKER_HOST's or {@value DockerSettings#DEFAULT_HOST}).
 */
public final class DockerResources {

  private final DockerClient docker;

  public DockerResources(DockerClient docker) {
    this.docker = docker;
  }

  /** A container the platform created. */
  public record Resource(String containerId, String name, String runId, String state) {}

  /** The labelled containers, running or not; {@code runId} null for all runs. */
  public List<Resource> list(String runId) {
    Map<String, String> filter = runId == null ? Map.of(DockerPlatform.LABEL, "true")
        : Map.of(DockerPlatform.LABEL, "true", DockerPlatform.RUN_LABEL, runId);
    List<Resource> found = new ArrayList<>();
    for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()) {
      String name = c.getNames() == null || c.getNames().length == 0 ? "" : c.getNames()[0].replaceFirst("^/", "");
      found.add(new Resource(ContainerInstance.shortId(c.getId()), name,
          c.getLabels() == null ? "" : c.getLabels().getOrDefault(DockerPlatform.RUN_LABEL, ""), c.getState()));
    }
    return found;
  }

  /** Removes (force) the labelled containers; returns what it removed. */
  public List<Resource> delete(String runId) {
    List<Resource> removed = new ArrayList<>();
    for (Resource r : list(runId)) {
      try {
        docker.removeContainerCmd(r.containerId()).withForce(true).withRemoveVolumes(true).exec();
        removed.add(r);
      } catch (NotFoundException alreadyGone) {
        removed.add(r);
      }
    }
    return removed;
  }

  public static void main(String[] args) {
    boolean delete = false;
    String runId = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--delete" -> delete = true;
        case "--run" -> {
          if (i + 1 >= args.length) {
            usage("--run needs a run id");
          }
          runId = args[++i];
        }
        default -> usage("unknown argument '" + args[i] + "'");
      }
    }
    String host = System.getenv().getOrDefault("DOCKER_HOST", DockerSettings.DEFAULT_HOST);
    DockerClient docker;
    try {
      docker = DockerEngine.connect(host);
    } catch (DockerEngine.DockerUnavailableException e) {
      System.err.println(e.getMessage());
      System.exit(1);
      return;
    }
    try {
      DockerResources resources = new DockerResources(docker);
      List<Resource> found = delete ? resources.delete(runId) : resources.list(runId);
      for (Resource r : found) {
        System.out.println((delete ? "removed " : "") + r.containerId() + "  " + r.name() + "  run=" + r.runId()
            + "  " + r.state());
      }
      System.out.println(found.size() + " container(s)" + (delete ? " removed" : "; --delete removes them"));
    } finally {
      DockerEngine.closeQuietly(docker);
    }
  }

  private static void usage(String problem) {
    System.err.println(problem + ". Usage: DockerResources [--delete] [--run <run id>]");
    System.exit(2);
  }
}
