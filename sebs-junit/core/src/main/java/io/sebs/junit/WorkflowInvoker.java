package io.sebs.junit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Runs a workflow benchmark ({@code definition.json}) on the test's platform: injected into tests of a
 * {@link ServerlessBenchmark} whose folder is a SeBS-Flow workflow. Each call is one whole run, every
 * function recorded.
 */
public interface WorkflowInvoker {

  /** One run with the benchmark's generated input. */
  WorkflowRun invoke();

  /** One run with another input (a JsonNode, a JSON string, or anything Jackson can convert). */
  WorkflowRun invoke(Object payload);

  /** A copy of the generated input. */
  JsonNode input();

  /** Makes the next run start every function of the workflow on a new instance. */
  void enforceColdStart();

  /**
   * The platform's name of a NoSQL table the benchmark's {@code allocate_nosql()} declares, to read what
   * the workflow wrote through {@link NoSqlStorage}.
   */
  String tableName(String logicalName);

  /** The functions the workflow runs ({@code func_name}s), sorted. */
  Set<String> functionNames();
}
