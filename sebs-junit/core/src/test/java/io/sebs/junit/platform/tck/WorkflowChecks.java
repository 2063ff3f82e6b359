package io.sebs.junit.platform.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.WorkflowRun;
import java.time.Duration;

/**
 * The workflow contract every platform orchestrator (Step Functions, Google Workflows, Durable Functions) is held
 * to, as the local engine defines it: the runs of fixture 920.flow-all-states (every state type, a handled and an
 * unhandled function error) and of the suite's chain and fan-out workflows give the same output and function
 * records everywhere. A platform's workflow contract test runs the workflow its way and checks the run here.
 */
public final class WorkflowChecks {

  private WorkflowChecks() {}

  /** A first run of 920.flow-all-states on its default input: cold functions, every state type, 15 executions. */
  public static void allStatesFirstRun(WorkflowRun r, String language) {
    assertThat(r.failure()).as("%s", r).isEmpty();
    JsonNode out = r.output();
    assertThat(out.path("total").asInt()).isEqualTo(14);
    assertThat(out.path("scaled").toString()).isEqualTo("[3,12,27]");
    assertThat(out.path("recovered").path("Error").asText()).isEqualTo(language.equals("python") ? "ValueError"
        : "RangeError");
    assertThat(out.path("recovered").path("Cause").asText()).as("the Cause is the plain message, as on local")
        .isEqualTo("planned failure");
    assertThat(out.path("input_keys").toString()).isEqualTo("[\"error\",\"scaled\",\"total\"]");
    assertThat(r.functions()).extracting(FunctionRecord::name).hasSize(15)
        .containsOnly("start", "inc", "square", "total", "scale", "check", "fail_when", "recover");
    assertThat(r.functions()).extracting(FunctionRecord::requestId).doesNotHaveDuplicates();
    assertThat(r.functions()).filteredOn(f -> f.name().equals("fail_when")).singleElement()
        .satisfies(f -> assertThat(f.failed()).isTrue())
        .satisfies(f -> assertThat(f.state()).isEqualTo("risky"));
    assertThat(r.functions()).filteredOn(f -> f.name().equals("inc")).extracting(FunctionRecord::state)
        .containsOnly("twice");
    assertThat(r.functions()).filteredOn(f -> f.name().equals("check")).extracting(FunctionRecord::state)
        .containsOnly("audit");
    assertThat(r.functions().get(0).isCold()).isTrue();
    criticalPathAndClientWindow(r);
  }

  /** A later run on {@code {"n": 2}}: total 5 after 12 executions. */
  public static void allStatesRunOnTwo(WorkflowRun again) {
    assertThat(again.failure()).as("%s", again).isEmpty();
    assertThat(again.output().path("total").asInt()).isEqualTo(5);
    assertThat(again.functions()).hasSize(12);
  }

  /** A run on {@code {"n": 2, "boom": true}}: the first function fails unhandled and ends the run, naming it. */
  public static void allStatesUnhandledError(WorkflowRun boom) {
    assertThat(boom.failed()).isTrue();
    assertThat(boom.failure()).hasValueSatisfying(f -> assertThat(f)
        .startsWith("function start (state start) failed: RuntimeError: boom requested (at start.py:3 in handler)"));
    assertThat(boom.functions()).singleElement().satisfies(f -> assertThat(f.failed()).isTrue());
    assertThat(boom.output().isMissingNode()).isTrue();
  }

  /** A run of the suite's 620.func-invo (a chain) or 630.parallel-sleep (a fan-out of four 0.5 s sleeps). */
  public static void suiteWorkflow(String benchmark, WorkflowRun r) {
    assertThat(r.failure()).as("%s", r).isEmpty();
    assertThat(r.functions()).extracting(FunctionRecord::requestId).doesNotHaveDuplicates();
    assertThat(r.criticalPath()).isPositive().isLessThan(r.clientTime());
    if (benchmark.equals("620.func-invo")) {
      assertThat(r.output().path("step").asInt()).isEqualTo(8);
      assertThat(r.output().path("data").asText()).hasSize(1024).startsWith("ijklmnopqrstuvwxyzabcdefgh");
      assertThat(r.functions()).extracting(FunctionRecord::name).hasSize(9).containsOnly("gen", "process");
      assertThat(r.functions()).filteredOn(f -> f.name().equals("process")).extracting(FunctionRecord::state)
          .containsOnly("process");
    } else if (benchmark.equals("630.parallel-sleep")) {
      assertThat(r.output().path("buffer").toString()).isEqualTo("[{\"slept\":0.5},{\"slept\":0.5},"
          + "{\"slept\":0.5},{\"slept\":0.5}]");
      assertThat(r.functions()).extracting(FunctionRecord::name).hasSize(5).containsOnly("generate", "process");
      // the map's elements ran concurrently: one sleep on the critical path, not four
      assertThat(r.criticalPath()).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofMillis(1500));
    } else {
      throw new IllegalArgumentException("No checks for workflow " + benchmark + ": 620.func-invo or 630.parallel-sleep");
    }
  }

  /** The critical path is within the client's time and the functions' total; every record in the client's window. */
  public static void criticalPathAndClientWindow(WorkflowRun r) {
    assertThat(r.criticalPath()).isPositive().isLessThan(r.clientTime());
    Duration allWork = r.functions().stream().map(FunctionRecord::duration).reduce(Duration.ZERO, Duration::plus);
    assertThat(r.criticalPath()).isLessThanOrEqualTo(allWork);
    assertThat(r.functions()).allSatisfy(f -> {
      assertThat(f.begin()).isAfterOrEqualTo(r.clientBegin());
      assertThat(f.end()).isBeforeOrEqualTo(r.clientBegin().plus(r.clientTime()));
    });
  }
}
