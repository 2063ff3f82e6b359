package io.sebs.junit.platform;

import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.WorkflowDefinition;
import java.util.Map;

/**
 * A workflow a platform's orchestrator has deployed.
 *
 * @param name its name on the platform
 * @param id the platform's handle for it (a state machine's ARN)
 * @param functions its functions by {@code func_name}
 */
public record DeployedWorkflow(String name, String id, FunctionSpec spec, WorkflowDefinition definition,
    Map<String, DeployedFunction> functions) {

  public DeployedWorkflow {
    functions = Map.copyOf(functions);
  }
}
