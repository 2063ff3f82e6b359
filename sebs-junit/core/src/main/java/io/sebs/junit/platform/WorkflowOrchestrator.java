package io.sebs.junit.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.WorkflowDefinition;
import java.util.Map;

/**
 * A platform's own workflow orchestrator (AWS Step Functions, Google Workflows, Azure Durable Functions):
 * the definition is transcribed to it and each run is measured through it, so its orchestration overhead is
 * what the results show. Platforms without one (local, docker) let sebs-junit's engine orchestrate instead
 * ({@link Platform#orchestratesWorkflowsInTheClient()}).
 */
public interface WorkflowOrchestrator {

  /**
   * Deploys (or updates) the workflow over its functions, already deployed ({@code func_name} to function).
   * Failures are exceptions that say what to fix; what was created is cleaned up when the platform closes.
   */
  DeployedWorkflow deploy(FunctionSpec spec, WorkflowDefinition definition, Map<String, DeployedFunction> functions);

  /**
   * Runs the workflow once on {@code input} and waits, recording every function execution. Never throws for
   * a failed run: a function's error or the orchestrator's comes back as a failed {@link WorkflowRun}.
   */
  WorkflowRun run(DeployedWorkflow workflow, JsonNode input);
}
