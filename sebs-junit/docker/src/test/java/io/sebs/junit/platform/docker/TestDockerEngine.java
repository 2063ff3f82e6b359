package io.sebs.junit.platform.docker;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.Assumptions;

/**
 * The Docker engine this module's tests run against: DOCKER_HOST, else Docker's default socket. Tests that need it
 * call {@link #clientOrSkip()} from a {@code @BeforeEach}, so each test is reported skipped with the reason when no
 * engine answers (a class-level abort would show as no tests at all). One client for the test JVM, closed at exit.
 */
final class TestDockerEngine {

  static final String HOST = System.getenv().getOrDefault("DOCKER_HOST", DockerSettings.DEFAULT_HOST);
  private static Boolean available;
  private static DockerClient client;

  private TestDockerEngine() {}

  /** The engine's client; skips the calling test, naming the host and how to get an engine, when none answers. */
  static synchronized DockerClient clientOrSkip() {
    if (available == null) {
      available = DockerEngine.available(HOST);
    }
    Assumptions.assumeTrue(available,
        "No Docker engine answers at " + HOST + ": docker platform tests skipped. " + DockerEngine.HOW_TO_GET_ONE);
    if (client == null) {
      DockerClient connected = DockerEngine.connect(HOST);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> DockerEngine.closeQuietly(connected),
          "docker-test-client-close"));
      client = connected;
    }
    return client;
  }
}
