package io.sebs.junit.extension;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.process.Command;
import io.sebs.junit.report.AllureReport;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PlatformRuns;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/** Opens the runs of a test plan (one per platform) and records their environment for the report. */
final class RunEnvironment {

  private static final Logger LOG = Logger.getLogger(RunEnvironment.class.getName());

  private RunEnvironment() {}

  /** The runs of a test plan, each recorded as it opens. */
  static PlatformRuns open(SebsConfig config) {
    PlatformRuns[] runs = new PlatformRuns[1];
    runs[0] = new PlatformRuns(config, run -> record(runs[0], run));
    return runs[0];
  }

  /** Logs where a platform's run writes and records the test plan's environment for the report. */
  private static void record(PlatformRuns runs, BenchmarkRun run) {
    LOG.info(() -> "sebs-junit run " + run.runId() + ": " + run.config().describe() + "; results in "
        + run.results().directory());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("sebs.platform", String.join(",", runs.platforms()));
    env.put("sebs.run", runs.runId());
    env.put("sebs.results", runs.directory().toString());
    env.put("java.version", System.getProperty("java.version"));
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    env.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    version("python3", "--version").ifPresent(v -> env.put("python", v));
    version("node", "--version").ifPresent(v -> env.put("node", v));
    AllureReport.writeEnvironment(env);
  }

  private static java.util.Optional<String> version(String program, String flag) {
    if (Command.onPath(program).isEmpty()) {
      return java.util.Optional.empty();
    }
    Command.Result r = Command.of(program, flag).timeout(Duration.ofSeconds(20)).run();
    String text = (r.stdout() + r.stderr()).strip();
    return r.succeeded() && !text.isEmpty() ? java.util.Optional.of(text) : java.util.Optional.empty();
  }
}
