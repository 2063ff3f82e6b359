package io.sebs.junit.platform.gcp;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A SeBS-Flow definition transcribed to Google Workflows' syntax (its JSON form, which Google accepts as
 * it accepts YAML), so that Google Workflows runs it with the data flow of sebs-junit's {@link
 * io.sebs.junit.workflow.WorkflowEngine}.
 *
 * <p>The execution's argument is {@code {"payload": <SeBS-Flow payload>, "request_id": <run id>}}; {@code
 * main} keeps both in variables and ends with {@code return: ${payload}}. Every (sub-)definition, the
 * workflow, each map's body and each parallel branch, is a subworkflow with the params {@code payload} and
 * {@code request_id}. The state types:
 *
 * <ul>
 *   <li>task: {@code call: http.post} to the function's HTTPS URL with {@code auth: {type: OIDC, audience:
 *       <url>}} and the body {@code {"payload", "request_id", "state"}} (the SeBS-Flow state's name, so each
 *       execution record names its state); the answer's body is the next payload. A {@code failure}
 *       transition is a {@code try}/{@code except}: the function's error answer (HTTP 500 with {@code
 *       {"error": <type>, "message"}}) becomes {@code "error": {"Error": <type>, "Cause": <message>}} added
 *       to the failed state's payload (a payload that is not a map becomes {@code {"input": payload,
 *       "error"}}), as on local; an error without such a body (a timeout, Google's own) gives its tags' first
 *       entry (or {@code "Error"}) and its message.
 *   <li>switch: a {@code switch} whose conditions compare {@code payload.<var>} with the case's value in
 *       Google's expression language; without a default, the (sub-)workflow ends when no case holds.
 *   <li>map: a {@code parallel} {@code for} over {@code payload.<array>} (its {@code concurrency_limit} the
 *       transcription's limit, when one is given) calling the body's subworkflow on each element (or on
 *       {@code {"array_element", <common_params>}}); the results, in element order, replace the array.
 *   <li>loop: a sequential {@code for} calling the function on each element, the results discarded.
 *   <li>repeat: a sequential {@code for} over {@code range: [1, count]}, each call on the previous result.
 *   <li>parallel: {@code parallel} {@code branches}, each calling its branch's subworkflow on the whole
 *       payload; the results, keyed by each branch's root state name, are the next payload. A branch's
 *       result is its last state's result (a map's list of element results), tracked in a variable {@code
 *       last}.
 * </ul>
 *
 * <p>Step and subworkflow names are the SeBS-Flow names reduced to letters, digits and underscores, made
 * unique (the functions still get the SeBS-Flow name in {@code state}). What differs from the local engine: a
 * switch comparing values of different types with {@code <}, {@code <=}, {@code >=} or {@code >}, or a path
 * missing from the payload, is Google's runtime error (the execution fails with Google's TypeError or KeyError
 * rather than the engine's message); a map's elements run at most {@value #GOOGLE_MAX_CONCURRENCY} at once
 * (Google's own limit on parallel iterations), however large the limit given; payloads are bound by Google's
 * limits (the execution's argument, each variable and each HTTP answer: see Google's quotas) where the local
 * engine has none. A switch case whose value is a list or an object cannot be transcribed (Google's
 * conditions compare scalars): that is a {@link BenchmarkConfigurationException} naming the state and case.
 * Every other SeBS-Flow construct (task with or without failure, switch with or without default, map with
 * or without common_params, loop, repeat, parallel, nested at any depth) is transcribed.
 */
public final class GoogleWorkflowsTranscription {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** Names Google gives a meaning in {@code next} or reserves. */
  private static final Set<String> RESERVED = Set.of("end", "break", "continue", "main", "sys", "http", "list", "map",
      "text", "json", "time", "math", "base64", "events", "retry", "uuid", "experimental", "googleapis");
  /** Google's limit on concurrent branches or iterations of one parallel step. */
  static final int GOOGLE_MAX_CONCURRENCY = 20;
  /** The longest an http.post may wait, in seconds (Google's limit). */
  static final int MAX_HTTP_TIMEOUT = 1800;
  /** The subworkflow that turns a caught error into SeBS-Flow's {@code {Error, Cause}}. */
  static final String ERROR_SUBWORKFLOW = "sebs_error";

  /** Where a (sub-)definition runs: what it returns. */
  private enum Scope { WORKFLOW, MAP, BRANCH }

  private final Map<String, String> urls;
  private final Integer concurrencyLimit;
  private final int httpTimeout;
  private final ObjectNode source = JSON.createObjectNode();
  private final Set<String> usedSubworkflows = new HashSet<>();
  private boolean errorHelper;

  private GoogleWorkflowsTranscription(Map<String, String> urls, Integer concurrencyLimit, int httpTimeout) {
    this.urls = urls;
    this.concurrencyLimit = concurrencyLimit;
    this.httpTimeout = httpTimeout;
  }

  /**
   * The workflow's source for {@code definition}.
   *
   * @param functionUrls each function's HTTPS URL by {@code func_name} (also the OIDC audience)
   * @param concurrencyLimit how many map elements run at once (null: Google's default), at most {@value
   *     #GOOGLE_MAX_CONCURRENCY}
   * @param httpTimeoutSeconds how long one function call may take, at most {@value #MAX_HTTP_TIMEOUT}
   * @throws BenchmarkConfigurationException when the definition uses something Google Workflows cannot express
   */
  public static ObjectNode transcribe(WorkflowDefinition definition, Map<String, String> functionUrls,
      Integer concurrencyLimit, int httpTimeoutSeconds) {
    Set<String> missing = new TreeSet<>(definition.functionNames());
    missing.removeAll(functionUrls.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("No function URL for the workflow's functions " + missing);
    }
    Integer limit = concurrencyLimit == null ? null : Math.max(1, Math.min(GOOGLE_MAX_CONCURRENCY, concurrencyLimit));
    GoogleWorkflowsTranscription t = new GoogleWorkflowsTranscription(functionUrls, limit,
        Math.max(1, Math.min(MAX_HTTP_TIMEOUT, httpTimeoutSeconds)));
    t.usedSubworkflows.add("main");
    t.usedSubworkflows.add(ERROR_SUBWORKFLOW);
    ObjectNode main = t.source.putObject("main");
    main.putArray("params").add("input");
    ArrayNode steps = main.putArray("steps");
    ObjectNode init = step(steps, "sebs_init");
    ArrayNode assign = init.putArray("assign");
    assign.addObject().put("payload", "${input.payload}");
    assign.addObject().put("request_id", "${input.request_id}");
    t.body(definition, Scope.WORKFLOW, steps);
    if (t.errorHelper) {
      t.source.set(ERROR_SUBWORKFLOW, errorSubworkflow());
    }
    return t.source;
  }

  /** {@link #transcribe} as the JSON text the Workflows API takes as {@code sourceContents}. */
  public static String toSource(WorkflowDefinition definition, Map<String, String> functionUrls,
      Integer concurrencyLimit, int httpTimeoutSeconds) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
          transcribe(definition, functionUrls, concurrencyLimit, httpTimeoutSeconds));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A subworkflow {@code (payload, request_id)} running {@code def} in {@code scope}; returns its name. */
  private String subworkflow(String wanted, WorkflowDefinition def, Scope scope) {
    String name = unique(sanitize(wanted), usedSubworkflows);
    ObjectNode sub = JSON.createObjectNode();
    source.set(name, sub); // placed before its own nested subworkflows
    sub.putArray("params").add("payload").add("request_id");
    body(def, scope, sub.putArray("steps"));
    return name;
  }

  /** The steps of a (sub-)definition: its states from the root, then the return. */
  private void body(WorkflowDefinition def, Scope scope, ArrayNode steps) {
    Set<String> used = new HashSet<>(Set.of("sebs_init", "sebs_return"));
    Map<String, String> names = new LinkedHashMap<>();
    // the root first: Google runs the steps from the first one
    names.put(def.root(), unique(sanitize(def.root()), used));
    for (String state : def.states().keySet()) {
      names.computeIfAbsent(state, s -> unique(sanitize(s), used));
    }
    if (scope == Scope.BRANCH) {
      step(steps, "sebs_last").putArray("assign").addObject().put("last", "${payload}");
    }
    State root = def.states().get(def.root());
    emit(def, root, scope, steps, names, used);
    for (State state : def.states().values()) {
      if (state != root) {
        emit(def, state, scope, steps, names, used);
      }
    }
    step(steps, "sebs_return").put("return", scope == Scope.BRANCH ? "${last}" : "${payload}");
  }

  private void emit(WorkflowDefinition def, State state, Scope scope, ArrayNode steps, Map<String, String> names,
      Set<String> used) {
    String name = names.get(state.name());
    java.util.function.UnaryOperator<String> fresh = suffix -> unique(name + suffix, used);
    String next = null;
    String last = "${payload}";
    if (state instanceof Task t) {
      if (t.failure() == null) {
        steps.addObject().set(name, call(t.funcName(), t.name(), "${payload}", "sebs_answer"));
      } else {
        ObjectNode guarded = step(steps, name);
        guarded.set("try", call(t.funcName(), t.name(), "${payload}", "sebs_answer"));
        ObjectNode except = guarded.putObject("except");
        except.put("as", "e");
        ArrayNode handler = except.putArray("steps");
        errorHelper = true;
        String mergeStep = fresh.apply("_error_merge");
        ObjectNode describe = step(handler, fresh.apply("_error"));
        describe.put("call", ERROR_SUBWORKFLOW);
        describe.putObject("args").put("e", "${e}");
        describe.put("result", "sebs_error");
        ObjectNode kind = step(handler, fresh.apply("_error_kind"));
        ObjectNode isMap = kind.putArray("switch").addObject();
        isMap.put("condition", "${get_type(payload) == \"map\"}");
        isMap.put("next", mergeStep);
        ObjectNode wrap = step(handler, fresh.apply("_error_wrap"));
        ObjectNode wrapped = wrap.putArray("assign").addObject().putObject("payload");
        wrapped.put("input", "${payload}");
        wrapped.put("error", "${sebs_error}");
        if (scope == Scope.BRANCH) {
          wrap.withArray("assign").addObject().put("last", "${payload}");
        }
        wrap.put("next", names.get(t.failure()));
        ObjectNode merge = step(handler, mergeStep);
        merge.putArray("assign").addObject().put("payload.error", "${sebs_error}");
        if (scope == Scope.BRANCH) {
          merge.withArray("assign").addObject().put("last", "${payload}");
        }
        merge.put("next", names.get(t.failure()));
      }
      next = t.next();
      ObjectNode result = step(steps, fresh.apply("_result"));
      result.putArray("assign").addObject().put("payload", "${sebs_answer.body}");
      finish(result, scope, last, next, names);
    } else if (state instanceof Switch s) {
      ObjectNode sw = step(steps, name);
      ArrayNode conditions = sw.putArray("switch");
      for (Case c : s.cases()) {
        ObjectNode condition = conditions.addObject();
        condition.put("condition", "${" + path("payload", c.var()) + " " + c.op() + " " + literal(c, s.name()) + "}");
        condition.put("next", names.get(c.next()));
      }
      sw.put("next", s.defaultNext() == null ? "sebs_return" : names.get(s.defaultNext()));
    } else if (state instanceof Repeat r) {
      ObjectNode loop = step(steps, name).putObject("for");
      loop.put("value", "sebs_repetition");
      loop.putArray("range").add(1).add(r.count());
      ArrayNode body = loop.putArray("steps");
      body.addObject().set(fresh.apply("_call"), call(r.funcName(), r.name(), "${payload}", "sebs_answer"));
      step(body, fresh.apply("_result")).putArray("assign").addObject().put("payload", "${sebs_answer.body}");
      finish(step(steps, fresh.apply("_done")), scope, last, r.next(), names);
    } else if (state instanceof Loop l) {
      ObjectNode loop = step(steps, name).putObject("for");
      loop.put("value", "sebs_element");
      loop.put("in", "${" + path("payload", l.array()) + "}");
      loop.putArray("steps").addObject().set(fresh.apply("_call"),
          call(l.funcName(), l.name(), "${sebs_element}", "sebs_answer"));
      finish(step(steps, fresh.apply("_done")), scope, last, l.next(), names);
    } else if (state instanceof MapState m) {
      String body = subworkflow("map_" + m.name(), m.body(), Scope.MAP);
      String array = path("payload", m.array());
      ObjectNode init = step(steps, name);
      ArrayNode assign = init.putArray("assign");
      assign.addObject().put("sebs_elements", "${" + array + "}");
      assign.addObject().putArray("sebs_results");
      ObjectNode size = step(steps, fresh.apply("_size")).putObject("for");
      size.put("value", "sebs_element");
      size.put("in", "${sebs_elements}");
      step(size.putArray("steps"), fresh.apply("_slot")).putArray("assign").addObject()
          .put("sebs_results", "${list.concat(sebs_results, null)}");
      ObjectNode parallel = step(steps, fresh.apply("_run")).putObject("parallel");
      parallel.putArray("shared").add("sebs_results");
      if (concurrencyLimit != null) {
        parallel.put("concurrency_limit", concurrencyLimit);
      }
      ObjectNode loop = parallel.putObject("for");
      loop.put("value", "sebs_element");
      loop.put("index", "sebs_index");
      loop.put("in", "${sebs_elements}");
      ArrayNode loopSteps = loop.putArray("steps");
      ObjectNode callBody = step(loopSteps, fresh.apply("_element"));
      callBody.put("call", body);
      ObjectNode args = callBody.putObject("args");
      if (m.commonParams().isEmpty()) {
        args.put("payload", "${sebs_element}");
      } else {
        ObjectNode input = args.putObject("payload");
        input.put("array_element", "${sebs_element}");
        for (String param : m.commonParams()) {
          input.put(param, "${" + path("payload", param) + "}");
        }
      }
      args.put("request_id", "${request_id}");
      callBody.put("result", "sebs_element_result");
      step(loopSteps, fresh.apply("_store")).putArray("assign").addObject()
          .put("sebs_results[sebs_index]", "${sebs_element_result}");
      ObjectNode done = step(steps, fresh.apply("_done"));
      done.putArray("assign").addObject().put(assignTarget(m.array()), "${sebs_results}");
      finish(done, scope, "${sebs_results}", m.next(), names);
    } else if (state instanceof Parallel p) {
      step(steps, name).putArray("assign").addObject().putObject("sebs_branches");
      ObjectNode parallel = step(steps, fresh.apply("_run")).putObject("parallel");
      parallel.putArray("shared").add("sebs_branches");
      ArrayNode branches = parallel.putArray("branches");
      for (int i = 0; i < p.branches().size(); i++) {
        WorkflowDefinition branch = p.branches().get(i);
        String sub = subworkflow("branch_" + p.name() + "_" + branch.root(), branch, Scope.BRANCH);
        String branchStep = unique(sanitize(name + "_" + i + "_" + branch.root()), used);
        ArrayNode branchSteps = step(branches, branchStep).putArray("steps");
        ObjectNode callBranch = step(branchSteps, unique(branchStep + "_call", used));
        callBranch.put("call", sub);
        callBranch.putObject("args").put("payload", "${payload}").put("request_id", "${request_id}");
        callBranch.put("result", "sebs_branch_result");
        step(branchSteps, unique(branchStep + "_store", used)).putArray("assign").addObject()
            .put(IDENTIFIER.matcher(branch.root()).matches() ? "sebs_branches." + branch.root()
                : "sebs_branches[" + quote(branch.root()) + "]", "${sebs_branch_result}");
      }
      ObjectNode done = step(steps, fresh.apply("_done"));
      done.putArray("assign").addObject().put("payload", "${sebs_branches}");
      finish(done, scope, last, p.next(), names);
    } else {
      throw new IllegalStateException("Unknown state " + state);
    }
  }

  /** Ends a state's last step: {@code last} kept for a branch, and the jump to the next state or the return. */
  private static void finish(ObjectNode step, Scope scope, String last, String next, Map<String, String> names) {
    if (scope == Scope.BRANCH) {
      step.withArray("assign").addObject().put("last", last);
    }
    step.put("next", next == null ? "sebs_return" : names.get(next));
  }

  /** {@code http.post} of one function with OIDC auth; the answer in {@code result}. */
  private ObjectNode call(String funcName, String state, String payload, String result) {
    String url = urls.get(funcName);
    ObjectNode call = JSON.createObjectNode();
    call.put("call", "http.post");
    ObjectNode args = call.putObject("args");
    args.put("url", url);
    ObjectNode auth = args.putObject("auth");
    auth.put("type", "OIDC");
    auth.put("audience", url);
    ObjectNode body = args.putObject("body");
    body.put("payload", payload);
    body.put("request_id", "${request_id}");
    body.put("state", state);
    args.put("timeout", httpTimeout);
    call.put("result", result);
    return call;
  }

  /**
   * {@code sebs_error(e)}: a function's error answer ({@code e.body.error}, {@code e.body.message}), else the
   * exception's first tag and message.
   */
  private static ObjectNode errorSubworkflow() {
    ObjectNode sub = JSON.createObjectNode();
    sub.putArray("params").add("e");
    ArrayNode steps = sub.putArray("steps");
    // one test per step: whether Google's "and" short-circuits is not documented, and e.body may be absent
    switchStep(steps, "has_body", "${\"body\" in e}", "body_is_map");
    switchStep(steps, "body_is_map", "${get_type(e.body) == \"map\"}", "body_has_error");
    switchStep(steps, "body_has_error", "${\"error\" in e.body}", "from_function");
    step(steps, "other_error").putArray("assign").addObject()
        .put("tags", "${default(map.get(e, \"tags\"), [\"Error\"])}");
    ObjectNode otherValue = step(steps, "other_error_return").putObject("return");
    otherValue.put("Error", "${string(tags[0])}");
    otherValue.put("Cause", "${default(map.get(e, \"message\"), \"\")}");
    ObjectNode functionValue = step(steps, "from_function").putObject("return");
    functionValue.put("Error", "${string(e.body.error)}");
    functionValue.put("Cause", "${default(map.get(e.body, \"message\"), \"\")}");
    return sub;
  }

  /** A step going to {@code next} when {@code condition} holds, else to {@code other_error}. */
  private static void switchStep(ArrayNode steps, String name, String condition, String next) {
    ObjectNode sw = step(steps, name);
    ObjectNode c = sw.putArray("switch").addObject();
    c.put("condition", condition);
    c.put("next", next);
    sw.put("next", "other_error");
  }

  /** A case's value as a Google expression literal: numbers, strings, booleans and null. */
  private static String literal(Case c, String state) {
    JsonNode val = c.val();
    if (val.isNumber() || val.isBoolean() || val.isNull()) {
      return val.toString();
    }
    if (val.isTextual()) {
      return quote(val.asText());
    }
    throw new BenchmarkConfigurationException("Workflow switch state '" + state + "': the case " + c.var() + " "
        + c.op() + " " + val + " cannot be a Google Workflows condition (it compares numbers, strings, booleans and"
        + " null, not lists or maps)");
  }

  /** A dotted SeBS-Flow path below a variable as a Google expression ({@code a.b}, {@code a["x y"]}). */
  static String path(String variable, String dotted) {
    StringBuilder expression = new StringBuilder(variable);
    for (String segment : dotted.split("\\.")) {
      if (IDENTIFIER.matcher(segment).matches()) {
        expression.append('.').append(segment);
      } else {
        expression.append('[').append(quote(segment)).append(']');
      }
    }
    return expression.toString();
  }

  /** The assign target of {@code payload.<dotted>} (the same path notation as in expressions). */
  private static String assignTarget(String dotted) {
    return path("payload", dotted);
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode step(ArrayNode steps, String name) {
    return steps.addObject().putObject(name);
  }

  /** A name of letters, digits and underscores, starting with a letter. */
  static String sanitize(String name) {
    String s = name.replaceAll("[^A-Za-z0-9_]", "_");
    if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
      s = "s_" + s;
    }
    return s;
  }

  private static String unique(String wanted, Set<String> used) {
    String name = RESERVED.contains(wanted) ? wanted + "_state" : wanted;
    String candidate = name;
    for (int i = 2; !used.add(candidate); i++) {
      candidate = name + "_" + i;
    }
    return candidate;
  }
}
