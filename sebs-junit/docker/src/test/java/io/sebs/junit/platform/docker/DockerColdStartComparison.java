package io.sebs.junit.platform.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.stats.SampleStatistics;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the docker platform adds to a container's cold start: a cold invocation through the platform (create, start,
 * follow the log until the wrapper listens, send the event, read the answer) against a bare {@code docker run --rm -i}
 * of the same image, command, mounts, environment and limits (copied from {@code docker inspect} of the platform's own
 * container), whose stdout is read until the wrapper listens and which then gets the same event over a socket: both
 * from the client's first step to the answer's last byte, interleaved. Prints {@code docker_cold_over_docker_run}
 * (issue 16: target &lt;= 1.1). 010.sleep in Python with sleep 0 by default. A figure printer, not a test.
 *
 * <p>Run from the repository with an engine up (as {@code .ci/run} starts it), e.g.
 * {@code mvn -B -q -o -pl sebs-junit/docker test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test
 * "-Dexec.args=-Dsebs.benchmarks.dir=$PWD/benchmarks -cp %classpath
 * io.sebs.junit.platform.docker.DockerColdStartComparison 15"}.
 */
public final class DockerColdStartComparison {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] EVENT = "{\"sleep\": 0}".getBytes(StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    SebsConfig base = SebsConfig.fromSystemProperties();
    SebsConfig config = new SebsConfig(key -> key.equals(SebsConfig.PLATFORM)
        ? java.util.Optional.of(DockerPlatform.NAME) : base.get(key));
    try (BenchmarkRun run = new BenchmarkRun(config)) {
      PreparedFunction prepared = run.prepare(run.spec("010.sleep", "python", "", "test", 0, 0));
      FunctionInvoker fn = prepared.invoker();
      Invocation first = fn.invoke(Map.of("sleep", 0));
      if (first.failed()) {
        throw new IllegalStateException("the platform's first call failed: " + first);
      }
      DockerPlatform platform = (DockerPlatform) run.platform();
      List<String> dockerRun = dockerRunOf(platform.containerIds(prepared.deployed()).get(0));
      System.out.println("bare: " + String.join(" ", dockerRun));
      double[] platformMs = new double[rounds];
      double[] bareMs = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        fn.enforceColdStart();
        Invocation cold = fn.invoke(Map.of("sleep", 0));
        if (cold.failed() || !cold.isCold()) {
          throw new IllegalStateException("expected a successful cold call: " + cold);
        }
        platformMs[i] = cold.clientTime().toNanos() / 1e6;
        bareMs[i] = bareColdCall(dockerRun);
      }
      double p = SampleStatistics.of(platformMs).median();
      double b = SampleStatistics.of(bareMs).median();
      System.out.printf("docker_platform_cold_ms=%.1f (median of %d)%n", p, rounds);
      System.out.printf("docker_run_cold_ms=%.1f (docker run --rm -i, same image, command, mounts and limits)%n", b);
      System.out.printf("docker_cold_over_docker_run=%.3f (target <= 1.1)%n", p / b);
    }
  }

  /** {@code docker run --rm -i} with what the platform's container was made with. */
  static List<String> dockerRunOf(String containerId) throws Exception {
    Process inspect = new ProcessBuilder("docker", "inspect", containerId).redirectErrorStream(true).start();
    JsonNode c = JSON.readTree(inspect.getInputStream().readAllBytes()).get(0);
    inspect.waitFor();
    List<String> command = new ArrayList<>(List.of("docker", "run", "--rm", "-i", "--network",
        c.path("HostConfig").path("NetworkMode").asText("host"), "-w", c.path("Config").path("WorkingDir").asText()));
    long memory = c.path("HostConfig").path("Memory").asLong(0);
    if (memory > 0) {
      command.addAll(List.of("--memory", Long.toString(memory), "--memory-swap",
          Long.toString(c.path("HostConfig").path("MemorySwap").asLong(memory))));
    }
    long nanoCpus = c.path("HostConfig").path("NanoCpus").asLong(0);
    if (nanoCpus > 0) {
      command.addAll(List.of("--cpus", Double.toString(nanoCpus / 1e9)));
    }
    c.path("HostConfig").path("Binds").forEach(b -> command.addAll(List.of("-v", b.asText())));
    c.path("Config").path("Env").forEach(e -> command.addAll(List.of("-e", e.asText())));
    command.add(c.path("Config").path("Image").asText());
    c.path("Config").path("Cmd").forEach(a -> command.add(a.asText()));
    return command;
  }

  /** One bare cold call: run, read stdout until the wrapper listens, POST the event, read the answer; in ms. */
  static double bareColdCall(List<String> dockerRun) throws Exception {
    long t0 = System.nanoTime();
    Process process = new ProcessBuilder(dockerRun).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      int port = -1;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("SEBS_LISTENING ")) {
          port = Integer.parseInt(line.substring("SEBS_LISTENING ".length()).trim());
          break;
        }
      }
      if (port < 0) {
        throw new IllegalStateException("the bare container ended before listening");
      }
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setTcpNoDelay(true);
        OutputStream send = socket.getOutputStream();
        send.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
            + EVENT.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        send.write(EVENT);
        send.flush();
        InputStream in = socket.getInputStream();
        byte[] answer = in.readAllBytes();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!new String(answer, StandardCharsets.UTF_8).startsWith("HTTP/1.1 200") && !new String(answer,
            StandardCharsets.UTF_8).startsWith("HTTP/1.0 200")) {
          throw new IllegalStateException("the bare container answered: " + new String(answer, StandardCharsets.UTF_8));
        }
        return ms;
      }
    } finally {
      process.getOutputStream().close(); // the wrapper exits when its stdin ends; --rm removes the container
      process.waitFor();
    }
  }
}
