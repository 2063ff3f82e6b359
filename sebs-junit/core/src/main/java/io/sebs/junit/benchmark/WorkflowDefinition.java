package io.sebs.junit.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A SeBS-Flow workflow definition ({@code definition.json}): {@code {"root": <state>, "states": {...}}},
 * read strictly, so a typo is an error naming the state and field rather than a workflow that silently
 * ends early. The state types and their fields are SeBS-Flow's: task, switch, map, loop, repeat and
 * parallel (see {@link State}).
 *
 * @param root the state the workflow starts at
 * @param states the states by name, in file order
 */
public record WorkflowDefinition(String root, Map<String, State> states) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> OPERATORS = Set.of("<", "<=", "==", ">=", ">");
  /** The fields each state type has (SeBS-Flow's); any other is a typo that would change the flow silently. */
  private static final Map<String, Set<String>> FIELDS = Map.of(
      "task", Set.of("type", "func_name", "next", "failure"),
      "switch", Set.of("type", "cases", "default"),
      "map", Set.of("type", "array", "root", "states", "common_params", "next"),
      "loop", Set.of("type", "func_name", "array", "next"),
      "repeat", Set.of("type", "func_name", "count", "next"),
      "parallel", Set.of("type", "parallel_functions", "next"));

  public WorkflowDefinition {
    states = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(states));
  }

  /** One state of a definition. */
  public sealed interface State {
    /** The state's name (its key in {@code states}). */
    String name();
  }

  /**
   * Runs one function on the payload; its result is the next payload. A failing function continues at
   * {@code failure} when there is one (with the payload it got plus {@code error}), else fails the run.
   */
  public record Task(String name, String funcName, String next, String failure) implements State {}

  /** Picks the next state by the first case whose comparison holds, else {@code defaultNext}. */
  public record Switch(String name, List<Case> cases, String defaultNext) implements State {}

  /** One case of a switch: {@code var} is a dotted path into the payload, compared with {@code val}. */
  public record Case(String var, String op, JsonNode val, String next) {}

  /**
   * Runs the nested workflow once per element of the array at {@code array}, concurrently; the results
   * replace the array. With {@code commonParams}, each element's input is {@code {"array_element": e,
   * <param>: payload[<param>]...}}.
   */
  public record MapState(String name, String array, WorkflowDefinition body, List<String> commonParams, String next)
      implements State {}

  /** Like a map over one function, but one element after the other; results are discarded. */
  public record Loop(String name, String funcName, String array, String next) implements State {}

  /** A chain of {@code count} executions of one function, each on the previous one's result. */
  public record Repeat(String name, String funcName, int count, String next) implements State {}

  /**
   * Runs every branch on the whole payload, concurrently; the next payload maps each branch's root state
   * name to that branch's result.
   */
  public record Parallel(String name, List<WorkflowDefinition> branches, String next) implements State {}

  /** Reads and checks a definition file; {@code workflow} names it in messages. */
  public static WorkflowDefinition read(Path file, String workflow) {
    JsonNode node;
    try {
      node = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new BenchmarkConfigurationException("Workflow " + workflow + ": " + file + " is not valid JSON: "
          + e.getMessage());
    }
    return parse(node, workflow + " (" + file + ")");
  }

  /** Parses and checks a definition; {@code where} names it in messages. */
  public static WorkflowDefinition parse(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw error(where, "the definition must be a JSON object {\"root\": ..., \"states\": {...}}");
    }
    JsonNode statesNode = node.path("states");
    if (!statesNode.isObject() || statesNode.isEmpty()) {
      throw error(where, "\"states\" must be a non-empty object of named states");
    }
    String root = text(node, "root", where, "the definition");
    Map<String, State> states = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = statesNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      states.put(e.getKey(), state(e.getKey(), e.getValue(), where));
    }
    WorkflowDefinition definition = new WorkflowDefinition(root, states);
    definition.checkReferences(where);
    return definition;
  }

  private static State state(String name, JsonNode s, String where) {
    String what = "state '" + name + "'";
    if (!s.isObject()) {
      throw error(where, what + " must be an object with a \"type\"");
    }
    String type = text(s, "type", where, what);
    Set<String> allowed = FIELDS.get(type);
    if (allowed != null) {
      for (Iterator<String> names = s.fieldNames(); names.hasNext(); ) {
        String field = names.next();
        if (!allowed.contains(field)) {
          throw error(where, what + " (" + type + ") has an unknown field \"" + field + "\"; a " + type + " state has "
              + new TreeSet<>(allowed));
        }
      }
      for (String link : List.of("next", "failure", "default", "common_params")) {
        if (s.has(link) && !s.get(link).isTextual() && !s.get(link).isNull()) {
          throw error(where, what + ": \"" + link + "\" must be a string, got " + s.get(link));
        }
      }
    }
    return switch (type) {
      case "task" -> new Task(name, text(s, "func_name", where, what), optional(s, "next"), optional(s, "failure"));
      case "switch" -> {
        JsonNode casesNode = s.path("cases");
        if (!casesNode.isArray()) {
          throw error(where, what + " (switch) needs \"cases\": a list of {var, op, val, next}");
        }
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : casesNode) {
          String op = text(c, "op", where, what + " case");
          if (!OPERATORS.contains(op)) {
            throw error(where, what + ": unknown operator '" + op + "', use one of " + new TreeSet<>(OPERATORS));
          }
          if (!c.has("val")) {
            throw error(where, what + ": a case needs \"val\"");
          }
          cases.add(new Case(text(c, "var", where, what + " case"), op, c.get("val"),
              text(c, "next", where, what + " case")));
        }
        yield new Switch(name, cases, optional(s, "default"));
      }
      case "map" -> {
        JsonNode body = s.path("states");
        if (!body.isObject()) {
          throw error(where, what + " (map) needs \"states\": the states run on each element");
        }
        ObjectNodeBuilder nested = new ObjectNodeBuilder(text(s, "root", where, what), body);
        yield new MapState(name, text(s, "array", where, what), parse(nested.node(), where + ", map '" + name + "'"),
            params(optional(s, "common_params")), optional(s, "next"));
      }
      case "loop" -> new Loop(name, text(s, "func_name", where, what), text(s, "array", where, what),
          optional(s, "next"));
      case "repeat" -> {
        JsonNode count = s.path("count");
        if (!count.canConvertToInt() || !count.isIntegralNumber() || count.asInt() < 1) {
          throw error(where, what + " (repeat) needs \"count\": a whole number of at least 1, got " + count);
        }
        yield new Repeat(name, text(s, "func_name", where, what), count.asInt(), optional(s, "next"));
      }
      case "parallel" -> {
        JsonNode branchesNode = s.path("parallel_functions");
        if (!branchesNode.isArray() || branchesNode.isEmpty()) {
          throw error(where, what + " (parallel) needs \"parallel_functions\": a list of {root, states}");
        }
        List<WorkflowDefinition> branches = new ArrayList<>();
        Set<String> roots = new java.util.HashSet<>();
        int i = 0;
        for (JsonNode b : branchesNode) {
          WorkflowDefinition branch = parse(b, where + ", parallel '" + name + "' branch " + i++);
          if (!roots.add(branch.root())) {
            throw error(where, what + ": two branches start at '" + branch.root() + "', but each branch's result is "
                + "keyed by its root state's name: rename one");
          }
          branches.add(branch);
        }
        yield new Parallel(name, branches, optional(s, "next"));
      }
      default -> throw error(where, what + " has unknown type '" + type
          + "': SeBS-Flow's types are task, switch, map, loop, repeat and parallel");
    };
  }

  /** A nested definition from a map state's own {@code root} and {@code states}. */
  private record ObjectNodeBuilder(String root, JsonNode states) {
    JsonNode node() {
      var node = JSON.createObjectNode();
      node.put("root", root);
      node.set("states", states);
      return node;
    }
  }

  private void checkReferences(String where) {
    if (!states.containsKey(root)) {
      throw error(where, "root '" + root + "' is not a state; the states are " + states.keySet());
    }
    for (State s : states.values()) {
      List<String> targets = new ArrayList<>();
      if (s instanceof Task t) {
        targets.add(t.next());
        targets.add(t.failure());
      } else if (s instanceof Switch sw) {
        sw.cases().forEach(c -> targets.add(c.next()));
        targets.add(sw.defaultNext());
      } else if (s instanceof MapState m) {
        targets.add(m.next());
      } else if (s instanceof Loop l) {
        targets.add(l.next());
      } else if (s instanceof Repeat r) {
        targets.add(r.next());
      } else if (s instanceof Parallel p) {
        targets.add(p.next());
      }
      for (String target : targets) {
        if (target != null && !states.containsKey(target)) {
          throw error(where, "state '" + s.name() + "' goes to '" + target + "', which is not a state here; the states are "
              + states.keySet());
        }
      }
    }
  }

  /** Every function the workflow runs (nested maps and branches included), sorted. */
  public Set<String> functionNames() {
    Set<String> names = new TreeSet<>();
    for (State s : states.values()) {
      if (s instanceof Task t) {
        names.add(t.funcName());
      } else if (s instanceof Loop l) {
        names.add(l.funcName());
      } else if (s instanceof Repeat r) {
        names.add(r.funcName());
      } else if (s instanceof MapState m) {
        names.addAll(m.body().functionNames());
      } else if (s instanceof Parallel p) {
        p.branches().forEach(b -> names.addAll(b.functionNames()));
      }
    }
    return names;
  }

  private static List<String> params(String commonParams) {
    if (commonParams == null || commonParams.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(commonParams.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
  }

  private static String text(JsonNode node, String field, String where, String what) {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw error(where, what + " needs \"" + field + "\" (a string)" + (value.isMissingNode() ? "" : ", got " + value));
    }
    return value.asText();
  }

  private static String optional(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
  }

  private static BenchmarkConfigurationException error(String where, String message) {
    return new BenchmarkConfigurationException("Workflow definition " + where + ": " + message);
  }
}
