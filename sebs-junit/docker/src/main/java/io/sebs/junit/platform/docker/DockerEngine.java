package io.sebs.junit.platform.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;

/**
 * Connects to a Docker engine and checks that it answers, so a missing engine is one clear message
 * (what to install, how to start it, which variable points at it) instead of a socket error deep in a
 * test.
 */
public final class DockerEngine {

  private DockerEngine() {}

  /** How to get an engine; part of every "no engine" message and of skipped tests' reasons. */
  public static final String HOW_TO_GET_ONE = "Install and start a Docker engine (Debian/Ubuntu: "
      + "apt-get install docker.io iptables, then dockerd, or run .ci/docker-setup, which also builds the base "
      + "images), and point DOCKER_HOST (or -D" + DockerSettings.HOST + ") at it, e.g. "
      + DockerSettings.DEFAULT_HOST;

  /**
   * A client for the engine at {@code host}, after a successful ping.
   *
   * @throws DockerUnavailableException when nothing answers there
   */
  public static DockerClient connect(String host) {
    DockerClient client;
    try {
      DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
      ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
          .dockerHost(config.getDockerHost())
          .sslConfig(config.getSSLConfig())
          .maxConnections(64)
          .connectionTimeout(Duration.ofSeconds(5))
          .responseTimeout(Duration.ofMinutes(10))
          .build();
      client = DockerClientImpl.getInstance(config, http);
    } catch (RuntimeException e) {
      throw new DockerUnavailableException("Cannot use the Docker engine address '" + host + "' ("
          + e.getMessage() + "). " + HOW_TO_GET_ONE, e);
    }
    try {
      client.pingCmd().exec();
      return client;
    } catch (RuntimeException e) {
      closeQuietly(client);
      throw new DockerUnavailableException("No Docker engine answers at " + host + " (" + rootMessage(e) + "). "
          + HOW_TO_GET_ONE, e);
    }
  }

  /** Whether an engine answers at {@code host}: for skipping tests. */
  public static boolean available(String host) {
    try {
      closeQuietly(connect(host));
      return true;
    } catch (DockerUnavailableException e) {
      return false;
    }
  }

  static void closeQuietly(DockerClient client) {
    try {
      client.close();
    } catch (Exception ignored) {
      // closing a client that never connected
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  /** No Docker engine answers where the platform looked. */
  public static final class DockerUnavailableException extends IllegalStateException {
    DockerUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
