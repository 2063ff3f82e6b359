package io.sebs.junit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A deployed benchmark function, ready to call. Injected into tests of a {@link ServerlessBenchmark};
 * every call is a real request to the target platform and comes back as an {@link Invocation}, failed or
 * not: a function error, a timeout or a crashed instance is a failed invocation, not an exception.
 */
public interface FunctionInvoker {

  /**
   * Invokes the function once and waits for the result.
   *
   * @param payload the event: a Jackson {@code JsonNode}, a {@code Map}, a JSON string, or any object
   *     Jackson can serialise
   */
  Invocation invoke(Object payload);

  /** Invokes the function with the benchmark's generated input. */
  Invocation invoke();

  /** The generated input for the configured size (a copy). */
  JsonNode input();

  /** Makes the next invocation a cold start (the platform retires the function's instances). */
  void enforceColdStart();

  /**
   * The platform's name of one of the benchmark's NoSQL tables (a name its input.py's
   * {@code allocate_nosql} declares), for checking rows with an injected {@link NoSqlStorage}.
   *
   * @throws IllegalArgumentException for a name the benchmark does not declare, listing the declared ones
   */
  String tableName(String logicalName);

  /** The deployed function's name on the platform. */
  String functionName();

  /** The target platform's name, e.g. {@code local}. */
  String platform();
}
