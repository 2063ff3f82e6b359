package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * An interpreter of the Google Workflows subset {@link GoogleWorkflowsTranscription} emits, for the stand-in:
 * subworkflows with params, {@code assign}, {@code call} ({@code http.post} with OIDC auth, or a subworkflow),
 * {@code switch} with conditions, {@code for} ({@code in} or {@code range}), {@code parallel} ({@code for} or
 * {@code branches}, {@code shared}, {@code concurrency_limit}), {@code try}/{@code except}, {@code raise},
 * {@code return} and {@code next} (also out of nested steps, as Google allows), with expressions of
 * variables, members, indexes, literals, comparisons, {@code and}/{@code or}/{@code not}/{@code in} and the
 * functions {@code default}, {@code get_type}, {@code len}, {@code string}, {@code list.concat}, {@code
 * map.get} and {@code keys}. The source is checked strictly when it is constructed: an unknown key or step
 * kind, a call of an unknown subworkflow, a {@code next} to no step is an {@link IllegalArgumentException}
 * (the API's deploy-time 400).
 */
final class GoogleWorkflowsInterpreter {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The stand-in's HTTP: one POST with an ID token for {@code audience} (null: no auth). */
  @FunctionalInterface
  interface Http {
    /** The answer's status and body; a connection failure is an exception. */
    Answer post(String url, String audience, JsonNode body, int timeoutSeconds) throws Exception;
  }

  record Answer(int status, String contentType, String body) {}

  /** An exception raised in the workflow: Google's error map ({@code message}, {@code tags}, ...). */
  static final class WorkflowError extends RuntimeException {
    final JsonNode error;

    WorkflowError(JsonNode error) {
      super(String.valueOf(error), null, false, false);
      this.error = error;
    }
  }

  private final Map<String, JsonNode> subworkflows = new HashMap<>();
  private final Http http;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "gcp-standin-workflow");
    t.setDaemon(true);
    return t;
  });

  GoogleWorkflowsInterpreter(JsonNode source, Http http) {
    this.http = http;
    if (source == null || !source.isObject() || !source.has("main")) {
      throw new IllegalArgumentException("the source must be a map of subworkflows with \"main\"");
    }
    source.fields().forEachRemaining(e -> subworkflows.put(e.getKey(), e.getValue()));
    for (Map.Entry<String, JsonNode> e : subworkflows.entrySet()) {
      JsonNode sub = e.getValue();
      only(sub, "subworkflow " + e.getKey(), "params", "steps");
      if (!sub.path("steps").isArray()) {
        throw new IllegalArgumentException("subworkflow " + e.getKey() + " has no steps");
      }
      Set<String> names = new HashSet<>();
      collectNames(sub.get("steps"), names, e.getKey());
      checkSteps(sub.get("steps"), names, e.getKey());
    }
  }

  private static void only(JsonNode node, String where, String... keys) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be a map");
    }
    Set<String> allowed = Set.of(keys);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(where + ": unknown key '" + key + "' (allowed: " + allowed + ")");
      }
    }
  }

  private static void collectNames(JsonNode steps, Set<String> names, String where) {
    for (JsonNode step : steps) {
      if (!step.isObject() || step.size() != 1) {
        throw new IllegalArgumentException(where + ": every step must be a map with one name, got " + step);
      }
      String name = step.fieldNames().next();
      if (!names.add(name)) {
        throw new IllegalArgumentException(where + ": duplicate step name '" + name + "'");
      }
      JsonNode body = step.get(name);
      nested(body).forEach(n -> collectNames(n, names, where));
    }
  }

  private static List<JsonNode> nested(JsonNode body) {
    List<JsonNode> lists = new ArrayList<>();
    if (body.has("steps")) {
      lists.add(body.get("steps"));
    }
    if (body.has("for")) {
      lists.add(body.get("for").path("steps"));
    }
    if (body.path("try").has("steps")) {
      lists.add(body.get("try").get("steps"));
    }
    if (body.has("except")) {
      lists.add(body.get("except").path("steps"));
    }
    if (body.has("parallel")) {
      JsonNode p = body.get("parallel");
      if (p.has("for")) {
        lists.add(p.get("for").path("steps"));
      }
      for (JsonNode branch : p.path("branches")) {
        branch.fields().forEachRemaining(b -> lists.add(b.getValue().path("steps")));
      }
    }
    return lists;
  }

  private void checkSteps(JsonNode steps, Set<String> names, String sub) {
    for (JsonNode step : steps) {
      String name = step.fieldNames().next();
      checkStep(step.get(name), names, sub + " step " + name);
    }
  }

  private void checkNext(JsonNode body, Set<String> names, String where) {
    if (body.has("next")) {
      String next = body.get("next").asText();
      if (!names.contains(next) && !Set.of("end", "break", "continue").contains(next)) {
        throw new IllegalArgumentException(where + ": next '" + next + "' is no step");
      }
    }
  }

  private void checkStep(JsonNode body, Set<String> names, String where) {
    checkNext(body, names, where);
    if (body.has("assign")) {
      only(body, where, "assign", "next");
      for (JsonNode a : body.get("assign")) {
        if (!a.isObject() || a.size() != 1) {
          throw new IllegalArgumentException(where + ": each assignment is a map with one target");
        }
      }
    } else if (body.has("call")) {
      only(body, where, "call", "args", "result", "next");
      checkCall(body, where);
    } else if (body.has("switch")) {
      only(body, where, "switch", "next");
      for (JsonNode c : body.get("switch")) {
        only(c, where + " condition", "condition", "next");
        checkNext(c, names, where);
        if (!c.has("condition")) {
          throw new IllegalArgumentException(where + ": a switch entry needs a condition");
        }
      }
    } else if (body.has("for")) {
      only(body, where, "for", "next");
      JsonNode f = body.get("for");
      only(f, where + " for", "value", "index", "in", "range", "steps");
      checkSteps(f.path("steps"), names, where);
    } else if (body.has("parallel")) {
      only(body, where, "parallel", "next");
      JsonNode p = body.get("parallel");
      only(p, where + " parallel", "shared", "concurrency_limit", "exception_policy", "for", "branches");
      if (p.has("for") == p.has("branches")) {
        throw new IllegalArgumentException(where + ": a parallel step has either for or branches");
      }
      if (p.has("for")) {
        only(p.get("for"), where + " for", "value", "index", "in", "range", "steps");
        checkSteps(p.get("for").path("steps"), names, where);
      }
      for (JsonNode branch : p.path("branches")) {
        branch.fields().forEachRemaining(b -> {
          only(b.getValue(), where + " branch " + b.getKey(), "steps");
          checkSteps(b.getValue().path("steps"), names, where);
        });
      }
    } else if (body.has("try")) {
      only(body, where, "try", "except", "retry", "next");
      JsonNode t = body.get("try");
      if (t.has("steps")) {
        only(t, where + " try", "steps");
        checkSteps(t.get("steps"), names, where);
      } else {
        only(t, where + " try", "call", "args", "result");
        checkCall(t, where);
      }
      if (body.has("except")) {
        only(body.get("except"), where + " except", "as", "steps");
        checkSteps(body.get("except").path("steps"), names, where);
      }
    } else if (body.has("return")) {
      only(body, where, "return");
    } else if (body.has("raise")) {
      only(body, where, "raise");
    } else if (body.has("steps")) {
      only(body, where, "steps", "next");
      checkSteps(body.get("steps"), names, where);
    } else {
      only(body, where, "next");
    }
  }

  private void checkCall(JsonNode body, String where) {
    String target = body.get("call").asText();
    if (target.equals("http.post")) {
      only(body.path("args"), where + " args", "url", "auth", "body", "headers", "timeout", "query");
      if (body.path("args").has("auth")) {
        only(body.get("args").get("auth"), where + " auth", "type", "audience", "scopes", "scope");
      }
    } else if (!subworkflows.containsKey(target)) {
      throw new IllegalArgumentException(where + ": call of unknown function or subworkflow '" + target + "'");
    }
  }

  // ---------------------------------------------------------------------------------------------- execution

  /** Runs {@code main} on the argument: its return value, or a {@link WorkflowError}. */
  JsonNode run(JsonNode argument) {
    ObjectNode args = NODES.objectNode();
    JsonNode params = subworkflows.get("main").path("params");
    if (params.size() > 0) {
      args.set(params.get(0).asText(), argument == null ? NullNode.getInstance() : argument);
    }
    return call("main", args);
  }

  void close() {
    threads.shutdownNow();
  }

  private JsonNode call(String name, ObjectNode args) {
    JsonNode sub = subworkflows.get(name);
    Scope scope = new Scope(null, null);
    for (JsonNode p : sub.path("params")) {
      String param = p.asText();
      if (!args.has(param)) {
        throw error("TypeError", "subworkflow " + name + " misses its argument " + param);
      }
      scope.vars.put(param, args.get(param).deepCopy());
    }
    for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
      String a = it.next();
      if (!scope.vars.containsKey(a)) {
        throw error("TypeError", "subworkflow " + name + " has no param " + a);
      }
    }
    Signal s = runSteps(sub.get("steps"), scope);
    if (s.kind == Kind.RETURN) {
      return s.value;
    }
    if (s.kind == Kind.JUMP && !s.target.equals("end")) {
      throw error("SystemError", "jump to unknown step " + s.target);
    }
    return NullNode.getInstance();
  }

  private enum Kind { NORMAL, RETURN, JUMP }

  private record Signal(Kind kind, JsonNode value, String target) {
    static final Signal NORMAL = new Signal(Kind.NORMAL, null, null);
  }

  /** Variables of a subworkflow, a loop iteration or a parallel branch. */
  private static final class Scope {
    final Scope parent;
    final Set<String> shared;
    final Map<String, JsonNode> vars = new HashMap<>();

    /** @param shared for a parallel scope, what it may write in its parent; null: a sequential loop's. */
    Scope(Scope parent, Set<String> shared) {
      this.parent = parent;
      this.shared = shared;
    }

    JsonNode get(String name) {
      for (Scope s = this; s != null; s = s.parent) {
        synchronized (s) {
          if (s.vars.containsKey(name)) {
            return s.vars.get(name);
          }
        }
      }
      throw error("KeyError", "variable '" + name + "' not defined");
    }

    /** The scope a write of {@code name} goes to. */
    Scope owner(String name) {
      Scope s = this;
      while (true) {
        synchronized (s) {
          if (s.vars.containsKey(name)) {
            return s;
          }
        }
        if (s.parent == null || (s.shared != null && !s.shared.contains(name))) {
          return this;
        }
        s = s.parent;
      }
    }
  }

  private Signal runSteps(JsonNode steps, Scope scope) {
    int i = 0;
    while (i < steps.size()) {
      JsonNode step = steps.get(i);
      String name = step.fieldNames().next();
      Signal s = runStep(step.get(name), scope);
      if (s.kind == Kind.RETURN) {
        return s;
      }
      if (s.kind == Kind.JUMP) {
        int target = indexOf(steps, s.target);
        if (target < 0) {
          return s;
        }
        i = target;
        continue;
      }
      i++;
    }
    return Signal.NORMAL;
  }

  private static int indexOf(JsonNode steps, String name) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).has(name)) {
        return i;
      }
    }
    return -1;
  }

  private static Signal after(JsonNode body) {
    return body.has("next") ? new Signal(Kind.JUMP, null, body.get("next").asText()) : Signal.NORMAL;
  }

  private Signal runStep(JsonNode body, Scope scope) {
    if (body.has("assign")) {
      for (JsonNode a : body.get("assign")) {
        Map.Entry<String, JsonNode> e = a.fields().next();
        assign(scope, e.getKey(), evaluate(e.getValue(), scope));
      }
      return after(body);
    }
    if (body.has("call")) {
      JsonNode result = invoke(body, scope);
      if (body.has("result")) {
        assign(scope, body.get("result").asText(), result);
      }
      return after(body);
    }
    if (body.has("switch")) {
      for (JsonNode c : body.get("switch")) {
        JsonNode holds = evaluate(c.get("condition"), scope);
        if (!holds.isBoolean()) {
          throw error("TypeError", "a switch condition gave " + holds + ", not a boolean");
        }
        if (holds.asBoolean()) {
          return after(c);
        }
      }
      return after(body);
    }
    if (body.has("for")) {
      JsonNode f = body.get("for");
      List<JsonNode> items = items(f, scope);
      for (int i = 0; i < items.size(); i++) {
        Scope iteration = new Scope(scope, null);
        iteration.vars.put(f.get("value").asText(), items.get(i));
        if (f.has("index")) {
          iteration.vars.put(f.get("index").asText(), NODES.numberNode(i));
        }
        Signal s = runSteps(f.get("steps"), iteration);
        if (s.kind == Kind.RETURN) {
          return s;
        }
        if (s.kind == Kind.JUMP) {
          if (s.target.equals("break")) {
            break;
          }
          if (!s.target.equals("continue")) {
            return s;
          }
        }
      }
      return after(body);
    }
    if (body.has("parallel")) {
      parallel(body.get("parallel"), scope);
      return after(body);
    }
    if (body.has("try")) {
      JsonNode t = body.get("try");
      try {
        if (t.has("steps")) {
          Signal s = runSteps(t.get("steps"), scope);
          if (s.kind != Kind.NORMAL) {
            return s;
          }
        } else {
          JsonNode result = invoke(t, scope);
          if (t.has("result")) {
            assign(scope, t.get("result").asText(), result);
          }
        }
      } catch (WorkflowError e) {
        if (!body.has("except")) {
          throw e;
        }
        JsonNode except = body.get("except");
        if (except.has("as")) {
          assign(scope, except.get("as").asText(), e.error);
        }
        Signal s = runSteps(except.path("steps"), scope);
        if (s.kind != Kind.NORMAL) {
          return s;
        }
      }
      return after(body);
    }
    if (body.has("return")) {
      return new Signal(Kind.RETURN, evaluate(body.get("return"), scope), null);
    }
    if (body.has("raise")) {
      throw new WorkflowError(evaluate(body.get("raise"), scope));
    }
    if (body.has("steps")) {
      Signal s = runSteps(body.get("steps"), scope);
      if (s.kind != Kind.NORMAL) {
        return s;
      }
    }
    return after(body);
  }

  private List<JsonNode> items(JsonNode f, Scope scope) {
    List<JsonNode> items = new ArrayList<>();
    if (f.has("range")) {
      JsonNode range = evaluate(f.get("range"), scope);
      for (long i = range.get(0).asLong(); i <= range.get(1).asLong(); i++) {
        items.add(NODES.numberNode(i));
      }
    } else {
      JsonNode in = evaluate(f.get("in"), scope);
      if (!in.isArray()) {
        throw error("TypeError", "for: 'in' is not a list but " + in);
      }
      in.forEach(items::add);
    }
    return items;
  }

  private void parallel(JsonNode p, Scope scope) {
    Set<String> shared = new HashSet<>();
    for (JsonNode s : p.path("shared")) {
      shared.add(s.asText());
      scope.get(s.asText()); // must exist
    }
    int limit = p.has("concurrency_limit") ? p.get("concurrency_limit").asInt() : 20;
    Semaphore slots = new Semaphore(Math.max(1, limit));
    List<Runnable> work = new ArrayList<>();
    if (p.has("for")) {
      JsonNode f = p.get("for");
      List<JsonNode> items = items(f, scope);
      for (int i = 0; i < items.size(); i++) {
        Scope iteration = new Scope(scope, shared);
        iteration.vars.put(f.get("value").asText(), items.get(i));
        if (f.has("index")) {
          iteration.vars.put(f.get("index").asText(), NODES.numberNode(i));
        }
        work.add(() -> runBranch(f.get("steps"), iteration));
      }
    } else {
      for (JsonNode branch : p.get("branches")) {
        JsonNode steps = branch.fields().next().getValue().get("steps");
        work.add(() -> runBranch(steps, new Scope(scope, shared)));
      }
    }
    List<Future<?>> futures = new ArrayList<>();
    for (Runnable r : work) {
      futures.add(threads.submit(() -> {
        slots.acquireUninterruptibly();
        try {
          r.run();
        } finally {
          slots.release();
        }
      }));
    }
    RuntimeException first = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw error("SystemError", "interrupted");
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void runBranch(JsonNode steps, Scope scope) {
    Signal s = runSteps(steps, scope);
    if (s.kind == Kind.JUMP && !s.target.equals("continue")) {
      throw error("SystemError", "a jump out of a parallel branch to " + s.target);
    }
  }

  private JsonNode invoke(JsonNode body, Scope scope) {
    String target = body.get("call").asText();
    JsonNode args = evaluate(body.path("args"), scope);
    if (!target.equals("http.post")) {
      return call(target, args.isObject() ? (ObjectNode) args : NODES.objectNode());
    }
    String url = args.path("url").asText();
    String audience = null;
    if (args.has("auth")) {
      if (!"OIDC".equals(args.get("auth").path("type").asText())) {
        throw error("ValueError", "auth type " + args.get("auth").path("type") + " is not supported here");
      }
      audience = args.get("auth").path("audience").asText(url);
    }
    Answer answer;
    try {
      answer = http.post(url, audience, args.path("body"), args.path("timeout").asInt(300));
    } catch (Exception e) {
      throw error("ConnectionError", "the connection to " + url + " failed: " + e);
    }
    ObjectNode response = NODES.objectNode();
    response.put("code", answer.status());
    response.putObject("headers").put("Content-Type", String.valueOf(answer.contentType()));
    JsonNode parsed;
    if (answer.contentType() != null && answer.contentType().startsWith("application/json")) {
      try {
        parsed = JSON.readTree(answer.body());
      } catch (java.io.IOException e) {
        parsed = NODES.textNode(answer.body());
      }
    } else {
      parsed = NODES.textNode(answer.body());
    }
    response.set("body", parsed);
    if (answer.status() / 100 != 2) {
      ObjectNode e = response.deepCopy();
      e.put("message", "HTTP server responded with error code " + answer.status());
      e.putArray("tags").add("HttpError");
      throw new WorkflowError(e);
    }
    return response;
  }

  // ---------------------------------------------------------------------------------------------- assignment

  private void assign(Scope scope, String target, JsonNode value) {
    Expr.Parser p = new Expr.Parser(target);
    String root = p.identifier();
    List<Object> path = new ArrayList<>();
    while (!p.atEnd()) {
      if (p.accept(".")) {
        path.add(p.identifier());
      } else if (p.accept("[")) {
        path.add(p.expression());
        p.expect("]");
      } else {
        throw new IllegalArgumentException("cannot assign to '" + target + "'");
      }
    }
    Scope owner = scope.owner(root);
    synchronized (owner) {
      if (path.isEmpty()) {
        owner.vars.put(root, value.deepCopy());
        return;
      }
      JsonNode node = owner == scope && !owner.vars.containsKey(root) ? null : owner.vars.get(root);
      if (node == null) {
        throw error("KeyError", "variable '" + root + "' not defined");
      }
      for (int i = 0; i < path.size(); i++) {
        Object key = path.get(i) instanceof Expr.Node n ? n.eval(this, scope) : path.get(i);
        boolean last = i == path.size() - 1;
        if (node instanceof ObjectNode o) {
          String k = key instanceof JsonNode j ? j.asText() : key.toString();
          if (last) {
            o.set(k, value.deepCopy());
          } else {
            node = o.get(k);
            if (node == null) {
              throw error("KeyError", "key '" + k + "' not found in " + target);
            }
          }
        } else if (node instanceof ArrayNode a) {
          int index = key instanceof JsonNode j && j.isIntegralNumber() ? j.asInt() : -1;
          if (index < 0 || index >= a.size()) {
            throw error("IndexError", "index " + key + " out of range in " + target);
          }
          if (last) {
            a.set(index, value.deepCopy());
          } else {
            node = a.get(index);
          }
        } else {
          throw error("TypeError", "cannot assign into " + node + " at " + target);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- expressions

  JsonNode evaluate(JsonNode value, Scope scope) {
    if (value.isTextual()) {
      String text = value.asText();
      if (text.startsWith("${") && text.endsWith("}")) {
        Expr.Parser p = new Expr.Parser(text.substring(2, text.length() - 1));
        Expr.Node n = p.expression();
        if (!p.atEnd()) {
          throw error("SyntaxError", "unexpected text in " + text);
        }
        return n.eval(this, scope);
      }
      return value;
    }
    if (value.isObject()) {
      ObjectNode out = NODES.objectNode();
      value.fields().forEachRemaining(e -> out.set(e.getKey(), evaluate(e.getValue(), scope)));
      return out;
    }
    if (value.isArray()) {
      ArrayNode out = NODES.arrayNode();
      value.forEach(v -> out.add(evaluate(v, scope)));
      return out;
    }
    return value;
  }

  static WorkflowError error(String tag, String message) {
    ObjectNode e = NODES.objectNode();
    e.put("message", message);
    e.putArray("tags").add(tag);
    return new WorkflowError(e);
  }

  /** Expressions: a small recursive-descent parser to evaluable nodes. */
  static final class Expr {

    interface Node {
      JsonNode eval(GoogleWorkflowsInterpreter interpreter, Scope scope);
    }

    static final class Parser {
      private final String text;
      private int pos;

      Parser(String text) {
        this.text = text;
      }

      private void skip() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
          pos++;
        }
      }

      boolean atEnd() {
        skip();
        return pos >= text.length();
      }

      boolean accept(String token) {
        skip();
        if (text.startsWith(token, pos)) {
          if (Character.isLetter(token.charAt(0))) {
            int end = pos + token.length();
            if (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
              return false;
            }
          }
          pos += token.length();
          return true;
        }
        return false;
      }

      void expect(String token) {
        if (!accept(token)) {
          throw error("SyntaxError", "expected '" + token + "' at " + pos + " in " + text);
        }
      }

      String identifier() {
        skip();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
          pos++;
        }
        if (start == pos || Character.isDigit(text.charAt(start))) {
          throw error("SyntaxError", "expected a name at " + start + " in " + text);
        }
        return text.substring(start, pos);
      }

      Node expression() {
        Node left = and();
        while (accept("or")) {
          Node l = left;
          Node r = and();
          left = (i, s) -> NODES.booleanNode(truth(l.eval(i, s)) || truth(r.eval(i, s)));
        }
        return left;
      }

      private Node and() {
        Node left = not();
        while (accept("and")) {
          Node l = left;
          Node r = not();
          left = (i, s) -> NODES.booleanNode(truth(l.eval(i, s)) && truth(r.eval(i, s)));
        }
        return left;
      }

      private Node not() {
        if (accept("not")) {
          Node n = not();
          return (i, s) -> NODES.booleanNode(!truth(n.eval(i, s)));
        }
        return comparison();
      }

      private Node comparison() {
        Node left = additive();
        for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
          if (accept(op)) {
            Node l = left;
            Node r = additive();
            return (i, s) -> NODES.booleanNode(compare(l.eval(i, s), op, r.eval(i, s)));
          }
        }
        if (accept("in")) {
          Node l = left;
          Node r = additive();
          return (i, s) -> {
            JsonNode needle = l.eval(i, s);
            JsonNode hay = r.eval(i, s);
            if (hay.isObject()) {
              return NODES.booleanNode(hay.has(needle.asText()));
            }
            if (hay.isArray()) {
              for (JsonNode h : hay) {
                if (h.equals(needle)) {
                  return NODES.booleanNode(true);
                }
              }
              return NODES.booleanNode(false);
            }
            throw error("TypeError", "'in' needs a map or list, got " + hay);
          };
        }
        return left;
      }

      private Node additive() {
        Node left = postfix();
        while (true) {
          if (accept("+")) {
            Node l = left;
            Node r = postfix();
            left = (i, s) -> {
              JsonNode a = l.eval(i, s);
              JsonNode b = r.eval(i, s);
              if (a.isTextual() && b.isTextual()) {
                return NODES.textNode(a.asText() + b.asText());
              }
              if (a.isIntegralNumber() && b.isIntegralNumber()) {
                return NODES.numberNode(a.asLong() + b.asLong());
              }
              if (a.isNumber() && b.isNumber()) {
                return NODES.numberNode(a.asDouble() + b.asDouble());
              }
              throw error("TypeError", "cannot add " + a + " and " + b);
            };
          } else if (accept("-")) {
            Node l = left;
            Node r = postfix();
            left = (i, s) -> {
              JsonNode a = l.eval(i, s);
              JsonNode b = r.eval(i, s);
              if (a.isIntegralNumber() && b.isIntegralNumber()) {
                return NODES.numberNode(a.asLong() - b.asLong());
              }
              return NODES.numberNode(a.asDouble() - b.asDouble());
            };
          } else {
            return left;
          }
        }
      }

      private Node postfix() {
        Node node;
        skip();
        if (pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_')) {
          int save = pos;
          String name = identifier();
          switch (name) {
            case "true" -> node = (i, s) -> NODES.booleanNode(true);
            case "false" -> node = (i, s) -> NODES.booleanNode(false);
            case "null" -> node = (i, s) -> NullNode.getInstance();
            default -> {
              // a qualified function name: list.concat(...), map.get(...)
              int afterName = pos;
              String qualified = name;
              if (accept(".")) {
                String member = identifier();
                skip();
                if (pos < text.length() && text.charAt(pos) == '(') {
                  qualified = name + "." + member;
                } else {
                  pos = afterName;
                }
              }
              skip();
              if (pos < text.length() && text.charAt(pos) == '(') {
                pos++;
                List<Node> args = new ArrayList<>();
                if (!accept(")")) {
                  do {
                    args.add(expression());
                  } while (accept(","));
                  expect(")");
                }
                String fn = qualified;
                node = (i, s) -> function(fn, args.stream().map(a -> a.eval(i, s)).toList());
              } else {
                node = (i, s) -> s.get(name);
              }
            }
          }
        } else {
          node = primary();
        }
        while (true) {
          if (accept(".")) {
            String member = identifier();
            Node base = node;
            node = (i, s) -> member(base.eval(i, s), NODES.textNode(member));
          } else if (accept("[")) {
            Node index = expression();
            expect("]");
            Node base = node;
            node = (i, s) -> member(base.eval(i, s), index.eval(i, s));
          } else {
            return node;
          }
        }
      }

      private Node primary() {
        skip();
        if (pos >= text.length()) {
          throw error("SyntaxError", "unexpected end of " + text);
        }
        char c = text.charAt(pos);
        if (c == '(') {
          pos++;
          Node n = expression();
          expect(")");
          return n;
        }
        if (c == '"' || c == '\'') {
          StringBuilder out = new StringBuilder();
          pos++;
          while (pos < text.length() && text.charAt(pos) != c) {
            char ch = text.charAt(pos++);
            if (ch == '\\' && pos < text.length()) {
              char esc = text.charAt(pos++);
              switch (esc) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'u' -> {
                  out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                  pos += 4;
                }
                default -> out.append(esc);
              }
            } else {
              out.append(ch);
            }
          }
          expect(String.valueOf(c));
          String value = out.toString();
          return (i, s) -> NODES.textNode(value);
        }
        if (c == '-' || Character.isDigit(c)) {
          int start = pos++;
          while (pos < text.length()) {
            char d = text.charAt(pos);
            boolean sign = (d == '-' || d == '+') && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E');
            if (!(Character.isDigit(d) || d == '.' || d == 'e' || d == 'E' || sign)) {
              break;
            }
            pos++;
          }
          String number = text.substring(start, pos);
          JsonNode value;
          try {
            value = JSON.readTree(number);
          } catch (java.io.IOException e) {
            throw error("SyntaxError", "bad number " + number);
          }
          return (i, s) -> value;
        }
        if (c == '[') {
          pos++;
          List<Node> items = new ArrayList<>();
          if (!accept("]")) {
            do {
              items.add(expression());
            } while (accept(","));
            expect("]");
          }
          return (i, s) -> {
            ArrayNode a = NODES.arrayNode();
            items.forEach(n -> a.add(n.eval(i, s)));
            return a;
          };
        }
        if (c == '{') {
          pos++;
          List<Node> keys = new ArrayList<>();
          List<Node> values = new ArrayList<>();
          if (!accept("}")) {
            do {
              keys.add(primary());
              expect(":");
              values.add(expression());
            } while (accept(","));
            expect("}");
          }
          return (i, s) -> {
            ObjectNode o = NODES.objectNode();
            for (int k = 0; k < keys.size(); k++) {
              o.set(keys.get(k).eval(i, s).asText(), values.get(k).eval(i, s));
            }
            return o;
          };
        }
        throw error("SyntaxError", "unexpected '" + c + "' at " + pos + " in " + text);
      }
    }

    static boolean truth(JsonNode v) {
      if (!v.isBoolean()) {
        throw error("TypeError", "not a boolean: " + v);
      }
      return v.asBoolean();
    }

    static JsonNode member(JsonNode base, JsonNode key) {
      if (base.isObject()) {
        JsonNode v = base.get(key.asText());
        if (v == null) {
          throw error("KeyError", "key not found: " + key.asText());
        }
        return v;
      }
      if (base.isArray() && key.isIntegralNumber()) {
        int i = key.asInt();
        if (i < 0 || i >= base.size()) {
          throw error("IndexError", "list index out of range: " + i);
        }
        return base.get(i);
      }
      throw error("TypeError", "cannot take " + key + " of " + base);
    }

    static boolean compare(JsonNode a, String op, JsonNode b) {
      int order;
      if (a.isNumber() && b.isNumber()) {
        order = a.decimalValue().compareTo(b.decimalValue());
      } else if (a.isTextual() && b.isTextual()) {
        order = a.asText().compareTo(b.asText());
      } else if (op.equals("==")) {
        return a.equals(b);
      } else if (op.equals("!=")) {
        return !a.equals(b);
      } else {
        throw error("TypeError", "cannot compare " + a + " " + op + " " + b);
      }
      return switch (op) {
        case "==" -> order == 0;
        case "!=" -> order != 0;
        case "<" -> order < 0;
        case "<=" -> order <= 0;
        case ">" -> order > 0;
        case ">=" -> order >= 0;
        default -> throw new IllegalStateException(op);
      };
    }

    static JsonNode function(String name, List<JsonNode> args) {
      switch (name) {
        case "default" -> {
          return args.get(0).isNull() ? args.get(1) : args.get(0);
        }
        case "get_type" -> {
          JsonNode v = args.get(0);
          return NODES.textNode(v.isObject() ? "map" : v.isArray() ? "list" : v.isTextual() ? "string"
              : v.isBoolean() ? "boolean" : v.isNull() ? "null" : v.isIntegralNumber() ? "integer" : "double");
        }
        case "len" -> {
          return NODES.numberNode(args.get(0).isTextual() ? args.get(0).asText().length() : args.get(0).size());
        }
        case "string" -> {
          return args.get(0).isTextual() ? args.get(0) : NODES.textNode(args.get(0).toString());
        }
        case "keys" -> {
          ArrayNode keys = NODES.arrayNode();
          args.get(0).fieldNames().forEachRemaining(keys::add);
          return keys;
        }
        case "list.concat" -> {
          if (!args.get(0).isArray()) {
            throw error("TypeError", "list.concat needs a list, got " + args.get(0));
          }
          ArrayNode out = ((ArrayNode) args.get(0)).deepCopy();
          out.add(args.get(1));
          return out;
        }
        case "map.get" -> {
          JsonNode m = args.get(0);
          if (!m.isObject()) {
            throw error("TypeError", "map.get needs a map, got " + m);
          }
          JsonNode v = m.get(args.get(1).asText());
          return v == null ? NullNode.getInstance() : v;
        }
        default -> throw error("NameError", "unknown function " + name);
      }
    }
  }
}
