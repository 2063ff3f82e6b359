package io.sebs.junit.platform.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.benchmark.BenchmarkConfigurationException;
import io.sebs.junit.benchmark.WorkflowDefinition;
import io.sebs.junit.benchmark.WorkflowDefinition.Case;
import io.sebs.junit.benchmark.WorkflowDefinition.Loop;
import io.sebs.junit.benchmark.WorkflowDefinition.MapState;
import io.sebs.junit.benchmark.WorkflowDefinition.Parallel;
import io.sebs.junit.benchmark.WorkflowDefinition.Repeat;
import io.sebs.junit.benchmark.WorkflowDefinition.State;
import io.sebs.junit.benchmark.WorkflowDefinition.Switch;
import io.sebs.junit.benchmark.WorkflowDefinition.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A SeBS-Flow definition transcribed to the Amazon States Language (JSONPath), so that AWS Step Functions
 * runs it with the data flow of sebs-junit's {@link io.sebs.junit.workflow.WorkflowEngine}.
 *
 * <p>Data between states is always {@code {"payload": <SeBS-Flow payload>, "request_id": <run id>}}: the
 * execution starts with it, and every Task gives its function {@code {"payload", "request_id", "state"}}
 * (the SeBS-Flow state's name, a constant, so each execution record names its state) and writes the raw
 * result back at {@code $.payload}. The state types:
 *
 * <ul>
 *   <li>task: a Task with the function's Lambda ARN as {@code Resource} (the result is the function's
 *       return value as it is). A {@code failure} transition is a {@code Catch} of {@code States.ALL} into
 *       {@code $.error} followed by Pass and Choice states that build the local engine's payload: the failed
 *       state's input payload plus {@code "error": {"Error", "Cause"}} (a payload that is not an object
 *       becomes {@code {"input": payload, "error"}}). Lambda reports a function's error with {@code Cause}
 *       a JSON string of {@code errorMessage}/{@code errorType}/stack trace; the chain replaces it by its
 *       {@code errorMessage} with {@code States.StringToJson}, so the Cause is the plain message as on
 *       local. A Cause that is not such JSON (a Lambda service error, a timeout) is passed on as Step
 *       Functions gives it.
 *   <li>switch: a Choice over {@code $.payload.<var>}, {@code Numeric*} for a number, {@code String*} for
 *       a string, {@code BooleanEquals} / {@code IsNull} for {@code ==} with a boolean / null; without a
 *       default, a Succeed state ends the (sub-)workflow when no case holds, as the engine does.
 *   <li>map: a Map (inline) over {@code $.payload.<array>} whose {@code ItemSelector} builds each element's
 *       data, the element ({@code $$.Map.Item.Value}) or {@code {"array_element", <common_params>}} as
 *       payload; the nested states end with {@code OutputPath $.payload}, so the Map's result is the list
 *       of element results, written back at {@code $.payload.<array>}.
 *   <li>loop: a Map with {@code MaxConcurrency 1} over the elements as they are, its result discarded
 *       ({@code ResultPath null}).
 *   <li>repeat: a chain of {@code count} Task states ({@code <name>}, {@code <name>.2}, ...).
 *   <li>parallel: a Parallel whose branches get the whole data; each branch ends with its last state's
 *       result ({@code $.payload}, or a map's list of element results), and a {@code ResultSelector}
 *       keys them by the branch's root state name ({@code {"<root>.$": "$[i]"}}), written at
 *       {@code $.payload}.
 * </ul>
 *
 * <p>The execution's output is the data after the last state: the workflow's result is its
 * {@code payload}. Step Functions requires state names unique in the whole state machine: a SeBS-Flow name
 * used again in a nested map or branch gets a suffix ({@code name#2}); the functions still see the
 * SeBS-Flow name in {@code state}.
 *
 * <p>What differs from the local engine: a switch comparing values of different types, or a path missing
 * from the payload, is Step Functions' runtime error (the execution fails) where the engine compares them
 * as unequal or fails naming the path; a failure transition from a state whose payload is an empty list
 * fails ({@code States.JsonMerge} takes objects only, and a Choice cannot tell an empty list from an
 * object); a workflow whose parallel branch ends on a switch reached from a map and from another state
 * cannot be transcribed (which result ends the branch is only known at run time).
 */
public final class StepFunctionsTranscription {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Step Functions' limit on a state's name. */
  static final int MAX_NAME = 80;

  /** Where a (sub-)definition runs: what its end states must leave as their output. */
  private enum Scope {
    /** The workflow: the whole data, {@code {payload, request_id}}. */
    WORKFLOW,
    /** A map's nested states: the element's result, {@code $.payload}. */
    MAP,
    /** A parallel branch: the last state's result, {@code $.payload} or a map's list at its array. */
    BRANCH
  }

  private final Map<String, String> lambdaArns;
  private final Set<String> used = new HashSet<>();
  private final Map<WorkflowDefinition, Map<String, String>> names = new IdentityHashMap<>();

  private StepFunctionsTranscription(Map<String, String> lambdaArns) {
    this.lambdaArns = lambdaArns;
  }

  /**
   * The state machine's definition for {@code definition}.
   *
   * @param lambdaArns each function's Lambda ARN by {@code func_name}
   * @throws BenchmarkConfigurationException when a function has no ARN or the definition uses something the
   *     States Language cannot express (see the class comment)
   */
  public static ObjectNode transcribe(WorkflowDefinition definition, Map<String, String> lambdaArns) {
    Set<String> missing = new TreeSet<>(definition.functionNames());
    missing.removeAll(lambdaArns.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("No Lambda ARN for the workflow's functions " + missing);
    }
    StepFunctionsTranscription t = new StepFunctionsTranscription(lambdaArns);
    ObjectNode machine = JSON.createObjectNode();
    machine.put("Comment", "sebs-junit: SeBS-Flow workflow transcribed to the Amazon States Language");
    machine.setAll(t.machine(definition, Scope.WORKFLOW));
    return machine;
  }

  /** {@link #transcribe} as the JSON text CreateStateMachine takes. */
  public static String toJson(WorkflowDefinition definition, Map<String, String> lambdaArns) {
    try {
      return JSON.writeValueAsString(transcribe(definition, lambdaArns));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code {"StartAt", "States"}} of a (sub-)definition. */
  private ObjectNode machine(WorkflowDefinition def, Scope scope) {
    Map<String, String> own = new LinkedHashMap<>();
    for (String name : def.states().keySet()) {
      own.put(name, allocate(name));
    }
    names.put(def, own);
    ObjectNode machine = JSON.createObjectNode();
    machine.put("StartAt", own.get(def.root()));
    ObjectNode states = machine.putObject("States");
    for (State state : def.states().values()) {
      emit(def, state, scope, states);
    }
    return machine;
  }

  private String allocate(String wanted) {
    String name = wanted;
    for (int i = 2; !used.add(name); i++) {
      name = wanted + "#" + i;
    }
    if (name.length() > MAX_NAME) {
      throw new BenchmarkConfigurationException("Workflow state name '" + name + "' is longer than Step Functions' "
          + MAX_NAME + " characters: shorten it in definition.json");
    }
    return name;
  }

  private String asl(WorkflowDefinition def, String sebsName) {
    return names.get(def).get(sebsName);
  }

  private void emit(WorkflowDefinition def, State state, Scope scope, ObjectNode states) {
    String name = asl(def, state.name());
    if (state instanceof Task t) {
      ObjectNode task = task(t.funcName(), t.name());
      states.set(name, task);
      follow(def, task, t.next(), scope, "$.payload");
      if (t.failure() != null) {
        String first = failureChain(name, asl(def, t.failure()), states);
        ObjectNode c = task.putArray("Catch").addObject();
        c.putArray("ErrorEquals").add("States.ALL");
        c.put("ResultPath", "$.error");
        c.put("Next", first);
      }
    } else if (state instanceof Switch s) {
      ObjectNode choice = JSON.createObjectNode();
      choice.put("Type", "Choice");
      states.set(name, choice);
      ArrayNode choices = choice.putArray("Choices");
      for (Case c : s.cases()) {
        ObjectNode rule = condition(c, s.name());
        rule.put("Next", asl(def, c.next()));
        choices.add(rule);
      }
      if (s.defaultNext() != null) {
        choice.put("Default", asl(def, s.defaultNext()));
      } else {
        String end = allocate(name + ".end");
        choice.put("Default", end);
        ObjectNode succeed = JSON.createObjectNode();
        succeed.put("Type", "Succeed");
        String output = endOutput(def, s, scope);
        if (output != null) {
          succeed.put("OutputPath", output);
        }
        states.set(end, succeed);
      }
    } else if (state instanceof MapState m) {
      ObjectNode map = mapState("$.payload." + m.array());
      states.set(name, map);
      ObjectNode selector = map.putObject("ItemSelector");
      if (m.commonParams().isEmpty()) {
        selector.put("payload.$", "$$.Map.Item.Value");
      } else {
        ObjectNode payload = selector.putObject("payload");
        payload.put("array_element.$", "$$.Map.Item.Value");
        for (String param : m.commonParams()) {
          payload.put(param + ".$", "$.payload." + param);
        }
      }
      selector.put("request_id.$", "$.request_id");
      ObjectNode processor = map.putObject("ItemProcessor");
      processor.putObject("ProcessorConfig").put("Mode", "INLINE");
      processor.setAll(machine(m.body(), Scope.MAP));
      map.put("ResultPath", "$.payload." + m.array());
      follow(def, map, m.next(), scope, "$.payload." + m.array());
    } else if (state instanceof Loop l) {
      ObjectNode map = mapState("$.payload." + l.array());
      states.set(name, map);
      map.put("MaxConcurrency", 1);
      ObjectNode selector = map.putObject("ItemSelector");
      selector.put("payload.$", "$$.Map.Item.Value");
      selector.put("request_id.$", "$.request_id");
      ObjectNode processor = map.putObject("ItemProcessor");
      processor.putObject("ProcessorConfig").put("Mode", "INLINE");
      String inner = allocate(name + "." + l.funcName());
      processor.put("StartAt", inner);
      ObjectNode task = task(l.funcName(), l.name());
      task.put("End", true);
      processor.putObject("States").set(inner, task);
      map.putNull("ResultPath");
      follow(def, map, l.next(), scope, "$.payload");
    } else if (state instanceof Repeat r) {
      String current = name;
      for (int i = 1; i <= r.count(); i++) {
        ObjectNode task = task(r.funcName(), r.name());
        states.set(current, task);
        if (i < r.count()) {
          current = allocate(name + "." + (i + 1));
          task.put("Next", current);
        } else {
          follow(def, task, r.next(), scope, "$.payload");
        }
      }
    } else if (state instanceof Parallel p) {
      ObjectNode parallel = JSON.createObjectNode();
      parallel.put("Type", "Parallel");
      states.set(name, parallel);
      ArrayNode branches = parallel.putArray("Branches");
      ObjectNode selector = JSON.createObjectNode();
      for (int i = 0; i < p.branches().size(); i++) {
        WorkflowDefinition branch = p.branches().get(i);
        branches.add(machine(branch, Scope.BRANCH));
        selector.put(branch.root() + ".$", "$[" + i + "]");
      }
      parallel.set("ResultSelector", selector);
      parallel.put("ResultPath", "$.payload");
      follow(def, parallel, p.next(), scope, "$.payload");
    } else {
      throw new IllegalStateException("Unknown state " + state);
    }
  }

  /** A Task running one function on the payload, its raw result written back at {@code $.payload}. */
  private ObjectNode task(String funcName, String sebsState) {
    ObjectNode task = JSON.createObjectNode();
    task.put("Type", "Task");
    task.put("Resource", lambdaArns.get(funcName));
    ObjectNode parameters = task.putObject("Parameters");
    parameters.put("payload.$", "$.payload");
    parameters.put("request_id.$", "$.request_id");
    parameters.put("state", sebsState);
    task.put("ResultPath", "$.payload");
    return task;
  }

  private static ObjectNode mapState(String itemsPath) {
    ObjectNode map = JSON.createObjectNode();
    map.put("Type", "Map");
    map.put("ItemsPath", itemsPath);
    return map;
  }

  /**
   * {@code Next} to the next state, or {@code End} with the output the scope needs: in a map, the element's
   * result; in a branch, the state's own result ({@code branchResult}).
   */
  private void follow(WorkflowDefinition def, ObjectNode state, String next, Scope scope, String branchResult) {
    if (next != null) {
      state.put("Next", asl(def, next));
      return;
    }
    state.put("End", true);
    switch (scope) {
      case WORKFLOW -> { }
      case MAP -> state.put("OutputPath", "$.payload");
      case BRANCH -> state.put("OutputPath", branchResult);
    }
  }

  /** A switch's end without a matching case: what the scope needs from the states before it. */
  private String endOutput(WorkflowDefinition def, Switch s, Scope scope) {
    return switch (scope) {
      case WORKFLOW -> null;
      case MAP -> "$.payload";
      case BRANCH -> {
        Set<String> results = new TreeSet<>();
        lastResults(def, s.name(), new HashSet<>(), results);
        if (results.size() != 1) {
          throw new BenchmarkConfigurationException("Workflow switch state '" + s.name() + "' ends a parallel branch"
              + " without a default, after states with different results (" + results + "): Step Functions cannot"
              + " pick the branch's result at run time; give the switch a default");
        }
        yield results.iterator().next();
      }
    };
  }

  /** The results ({@code $.payload} or a map's array) the states leading to {@code target} leave. */
  private static void lastResults(WorkflowDefinition def, String target, Set<String> visited, Set<String> results) {
    if (!visited.add(target)) {
      return;
    }
    if (def.root().equals(target)) {
      results.add("$.payload");
    }
    for (State s : def.states().values()) {
      if (s instanceof Task t && target.equals(t.failure())) {
        results.add("$.payload");
      }
      if (!successors(s).contains(target)) {
        continue;
      }
      if (s instanceof MapState m) {
        results.add("$.payload." + m.array());
      } else if (s instanceof Switch) {
        lastResults(def, s.name(), visited, results);
      } else {
        results.add("$.payload");
      }
    }
  }

  private static List<String> successors(State s) {
    List<String> next = new ArrayList<>();
    if (s instanceof Task t) {
      next.add(t.next());
    } else if (s instanceof Switch sw) {
      sw.cases().forEach(c -> next.add(c.next()));
      next.add(sw.defaultNext());
    } else if (s instanceof MapState m) {
      next.add(m.next());
    } else if (s instanceof Loop l) {
      next.add(l.next());
    } else if (s instanceof Repeat r) {
      next.add(r.next());
    } else if (s instanceof Parallel p) {
      next.add(p.next());
    }
    return next;
  }

  /** A Choice rule for one case: the comparison by the value's type. */
  private static ObjectNode condition(Case c, String state) {
    ObjectNode rule = JSON.createObjectNode();
    rule.put("Variable", "$.payload." + c.var());
    JsonNode val = c.val();
    String op = switch (c.op()) {
      case "<" -> "LessThan";
      case "<=" -> "LessThanEquals";
      case "==" -> "Equals";
      case ">=" -> "GreaterThanEquals";
      case ">" -> "GreaterThan";
      default -> throw new IllegalStateException(c.op());
    };
    if (val.isNumber()) {
      rule.set("Numeric" + op, val);
    } else if (val.isTextual()) {
      rule.set("String" + op, val);
    } else if (val.isBoolean() && op.equals("Equals")) {
      rule.set("BooleanEquals", val);
    } else if (val.isNull() && op.equals("Equals")) {
      rule.put("IsNull", true);
    } else {
      throw new BenchmarkConfigurationException("Workflow switch state '" + state + "': the case " + c.var() + " "
          + c.op() + " " + val + " cannot be a Step Functions Choice rule (numbers and strings compare with < <= =="
          + " >= >, booleans and null with == only)");
    }
    return rule;
  }

  /**
   * The states after a caught error, from the Catch's {@code $.error = {Error, Cause}} to the failure state
   * with {@code {payload: <input payload> + {error: {Error, Cause}}, request_id}}; returns the first one.
   */
  private String failureChain(String failed, String failureTarget, ObjectNode states) {
    String check = allocate(failed + ".error");
    String parse = allocate(failed + ".error.parse");
    String message = allocate(failed + ".error.message");
    String plain = allocate(failed + ".error.plain");
    String shape = allocate(failed + ".error.payload");
    String merge = allocate(failed + ".error.merge");
    String wrap = allocate(failed + ".error.wrap");

    // Lambda's Cause is the function's error as JSON: take its errorMessage, else keep the Cause as it is
    ObjectNode isJson = JSON.createObjectNode();
    isJson.put("Type", "Choice");
    ObjectNode rule = isJson.putArray("Choices").addObject();
    rule.put("Variable", "$.error.Cause");
    rule.put("StringMatches", "{*\"errorMessage\"*}");
    rule.put("Next", parse);
    isJson.put("Default", plain);
    states.set(check, isJson);

    ObjectNode parsePass = pass("$.error", message);
    ObjectNode parsed = (ObjectNode) parsePass.get("Parameters");
    parsed.put("Error.$", "$.error.Error");
    parsed.put("Cause.$", "States.StringToJson($.error.Cause)");
    states.set(parse, parsePass);

    ObjectNode messagePass = pass("$.error", shape);
    ObjectNode fromJson = ((ObjectNode) messagePass.get("Parameters")).putObject("error");
    fromJson.put("Error.$", "$.error.Error");
    fromJson.put("Cause.$", "$.error.Cause.errorMessage");
    states.set(message, messagePass);

    ObjectNode plainPass = pass("$.error", shape);
    ObjectNode asGiven = ((ObjectNode) plainPass.get("Parameters")).putObject("error");
    asGiven.put("Error.$", "$.error.Error");
    asGiven.put("Cause.$", "$.error.Cause");
    states.set(plain, plainPass);

    // an object payload gets "error" added; anything else becomes {"input": payload, "error"}
    ObjectNode kind = JSON.createObjectNode();
    kind.put("Type", "Choice");
    ObjectNode notObject = kind.putArray("Choices").addObject();
    ArrayNode any = notObject.putArray("Or");
    for (String test : List.of("IsNumeric", "IsString", "IsBoolean", "IsNull")) {
      any.addObject().put("Variable", "$.payload").put(test, true);
    }
    any.addObject().put("Variable", "$.payload[0]").put("IsPresent", true);
    notObject.put("Next", wrap);
    kind.put("Default", merge);
    states.set(shape, kind);

    ObjectNode mergePass = pass("$", failureTarget);
    ObjectNode merged = (ObjectNode) mergePass.get("Parameters");
    merged.put("payload.$", "States.JsonMerge($.payload, $.error, false)");
    merged.put("request_id.$", "$.request_id");
    states.set(merge, mergePass);

    ObjectNode wrapPass = pass("$", failureTarget);
    ObjectNode wrapped = ((ObjectNode) wrapPass.get("Parameters")).putObject("payload");
    wrapped.put("input.$", "$.payload");
    wrapped.put("error.$", "$.error.error");
    ((ObjectNode) wrapPass.get("Parameters")).put("request_id.$", "$.request_id");
    states.set(wrap, wrapPass);
    return check;
  }

  private static ObjectNode pass(String resultPath, String next) {
    ObjectNode pass = JSON.createObjectNode();
    pass.put("Type", "Pass");
    pass.putObject("Parameters");
    pass.put("ResultPath", resultPath);
    pass.put("Next", next);
    return pass;
  }
}
