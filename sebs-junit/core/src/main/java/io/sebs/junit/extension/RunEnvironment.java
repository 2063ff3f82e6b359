package io.sebs.junit.extension;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.process.Command;
import io.sebs.junit.report.AllureReport;
import io.sebs.junit.run.BenchmarkRun;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/** Opens the run for a test plan and records its environment for the report. */
final class RunEnvironment {

  private static final Logger LOG = Logger.getLogger(RunEnvironment.class.getName());

  private RunEnvironment() {}

  static BenchmarkRun open(SebsConfig config) {
    BenchmarkRun run = new BenchmarkRun(config);
    LOG.info(() -> "sebs-junit run " + run.runId() + ": " + config.describe() + "; results in "
        + run.results().directory());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("sebs.platform", run.platform().name());
    env.put("sebs.run", run.runId());
    env.put("sebs.results", run.results().directory().toString());
    env.put("java.version", System.getProperty("java.version"));
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    env.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    version("python3", "--version").ifPresent(v -> env.put("python", v));
    version("node", "--version").ifPresent(v -> env.put("node", v));
    AllureReport.writeEnvironment(env);
    return run;
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
