package io.sebs.junit.platform.docker;

import io.sebs.junit.config.SebsConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The docker platform's configuration keys.
 *
 * @param host the engine's address: {@value #HOST}, else the environment's {@code DOCKER_HOST}, else
 *     {@value #DEFAULT_HOST}
 * @param cpus a fixed CPU limit per container ({@value #CPUS}); empty: {@link DockerPlatform#cpuLimit}'s rule
 * @param keepAlive idle time after which a container is removed ({@value #KEEP_ALIVE}, default 60 s)
 * @param startTimeout how long a container may take to listen ({@value #START_TIMEOUT}, default 60 s)
 * @param maxInstances cap on running containers per function ({@value #MAX_INSTANCES}, default 8)
 * @param javaCds whether Java containers start from the package's class-data-sharing archive made in the function's
 *     image ({@value #JAVA_CDS}, default true; {@link DockerPackageBuilder#classDataSharingArchive})
 */
public record DockerSettings(String host, Optional<Double> cpus, Duration keepAlive, Duration startTimeout,
    int maxInstances, boolean javaCds) {

  public static final String HOST = "sebs.docker.host";
  public static final String CPUS = "sebs.docker.cpus";
  public static final String KEEP_ALIVE = "sebs.docker.keepAlive";
  public static final String START_TIMEOUT = "sebs.docker.startTimeout";
  public static final String MAX_INSTANCES = "sebs.docker.maxInstances";
  public static final String JAVA_CDS = "sebs.docker.javaCds";
  /** Where Docker's own tools look when DOCKER_HOST is not set. */
  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  public DockerSettings {
    if (cpus.isPresent() && !(cpus.get() > 0)) {
      throw new IllegalArgumentException(CPUS + " must be a positive number of CPUs, was " + cpus.get());
    }
    if (maxInstances < 1) {
      throw new IllegalArgumentException(MAX_INSTANCES + " must be at least 1, was " + maxInstances);
    }
  }

  public static DockerSettings from(SebsConfig config) {
    String host = config.get(HOST).filter(s -> !s.isBlank())
        .or(() -> Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(s -> !s.isBlank()))
        .orElse(DEFAULT_HOST);
    Optional<Double> cpus = config.get(CPUS).filter(s -> !s.isBlank()).map(s -> config.doubleValue(CPUS, 0));
    double max = config.doubleValue(MAX_INSTANCES, 8);
    if (max != Math.rint(max)) {
      throw new IllegalArgumentException(MAX_INSTANCES + " must be a whole number, was " + max);
    }
    return new DockerSettings(host, cpus, config.duration(KEEP_ALIVE, Duration.ofSeconds(60)),
        config.duration(START_TIMEOUT, Duration.ofSeconds(60)), (int) max,
        config.booleanValue(JAVA_CDS, true));
  }
}
