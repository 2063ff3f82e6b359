package io.sebs.junit.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.benchmark.WorkflowDefinition;
import io.sebs.junit.platform.ClientClock;
import io.sebs.junit.benchmark.WorkflowDefinition.Loop;
import io.sebs.junit.benchmark.WorkflowDefinition.MapState;
import io.sebs.junit.benchmark.WorkflowDefinition.Parallel;
import io.sebs.junit.benchmark.WorkflowDefinition.Repeat;
import io.sebs.junit.benchmark.WorkflowDefinition.State;
import io.sebs.junit.benchmark.WorkflowDefinition.Switch;
import io.sebs.junit.benchmark.WorkflowDefinition.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs SeBS-Flow workflows in the test JVM, calling each function on the platform: the orchestrator of
 * platforms without one of their own (local, docker). It follows SeBS-Flow's data flow: a task's function
 * gets the payload (plus {@code request-id}) and returns the next one; a map's elements (or {@code
 * {"array_element", <common_params>}}) run concurrently and their results replace the array; a loop runs
 * its elements one by one and keeps the payload; a repeat chains one function; a parallel state runs its
 * branches on the whole payload and maps each branch's root name to its result; a failing task goes on at
 * its {@code failure} state with the payload it got plus {@code error: {Error, Cause}}.
 *
 * <p>At most {@code concurrency} functions run at once; maps and branches beyond that wait for a slot. The
 * engine's own threads only wait, so nested maps never deadlock.
 */
public final class WorkflowEngine implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** States one run may enter before it counts as stuck in a cycle. */
  static final long MAX_TRANSITIONS = 100_000;

  /** Calls one function of the workflow and waits for its answer. Never throws for a function's error. */
  @FunctionalInterface
  public interface FunctionCaller {
    FunctionCall call(String funcName, JsonNode event);
  }

  /**
   * What one function call gave.
   *
   * @param error the function's error line, null when it succeeded
   * @param beginMicros the function's begin, epoch microseconds on its own clock
   * @param endMicros its end, on the same clock
   */
  public record FunctionCall(JsonNode output, String error, long beginMicros, long endMicros, boolean isCold,
      String containerId) {}

  private final WorkflowDefinition definition;
  private final FunctionCaller caller;
  private final long functionClockAheadMicros;
  private final int concurrency;
  private final ExecutorService threads;

  /**
   * @param concurrency how many functions of one run may execute at once (each run has its own limit, so
   *     concurrent runs of a burst do not wait for each other)
   * @param functionClockAheadMicros how far the functions' clocks are ahead of the client's (0 where they
   *     share it), subtracted from their timestamps
   */
  public WorkflowEngine(WorkflowDefinition definition, FunctionCaller caller, int concurrency,
      long functionClockAheadMicros) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("The workflow concurrency must be at least 1, was " + concurrency);
    }
    this.definition = definition;
    this.caller = caller;
    this.functionClockAheadMicros = functionClockAheadMicros;
    this.concurrency = concurrency;
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "sebs-workflow-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** One whole run on {@code input}, timed on the client from start to result. Never throws for a failure. */
  public WorkflowRun run(JsonNode input) {
    String requestId = UUID.randomUUID().toString();
    Queue<FunctionRecord> records = new ConcurrentLinkedQueue<>();
    ClientClock.Stopwatch watch = ClientClock.start();
    Outcome outcome;
    String failure = null;
    try {
      outcome = walk(definition, input.deepCopy(), new Context(records, new Semaphore(concurrency, true)));
    } catch (WorkflowFailure e) {
      failure = e.getMessage();
      outcome = null;
    } catch (RuntimeException e) {
      failure = "the workflow engine failed: " + e;
      outcome = null;
    }
    long clientMicros = watch.elapsedMicros();
    Instant begin = Instant.EPOCH.plus(watch.beginEpochMicros(), ChronoUnit.MICROS);
    Duration critical = outcome == null ? CriticalPath.ofRecords(List.copyOf(records), definition)
        : Duration.of(outcome.criticalMicros(), ChronoUnit.MICROS);
    return new WorkflowRun(requestId, failure, outcome == null ? null : outcome.payload(), begin,
        Duration.of(clientMicros, ChronoUnit.MICROS), new ArrayList<>(records), critical);
  }

  /**
   * One run's state: where its function records go, its own concurrency slots, and the first failure that
   * ends it (once set, no further function starts: elements of a map still waiting for a slot are dropped,
   * as Step Functions stops a failed Map).
   */
  private static final class Context {
    private final Queue<FunctionRecord> records;
    private final Semaphore slots;
    private final java.util.concurrent.atomic.AtomicLong transitions = new java.util.concurrent.atomic.AtomicLong();
    private volatile WorkflowFailure failure;

    /** Counts a state entered; a run past {@link #MAX_TRANSITIONS} is stuck in a cycle (of switches, say). */
    void entered(String state) {
      if (transitions.incrementAndGet() > MAX_TRANSITIONS) {
        throw fail(new WorkflowFailure("the run entered more than " + MAX_TRANSITIONS + " states (the last: '" + state
            + "'): the definition's transitions form a cycle that never ends"));
      }
    }

    Context(Queue<FunctionRecord> records, Semaphore slots) {
      this.records = records;
      this.slots = slots;
    }

    Queue<FunctionRecord> records() {
      return records;
    }

    /** Records the run's failure (the first one wins) and returns it to be thrown. */
    WorkflowFailure fail(WorkflowFailure f) {
      synchronized (this) {
        if (failure == null) {
          failure = f;
        }
      }
      return f;
    }

    void checkNotFailed() {
      WorkflowFailure f = failure;
      if (f != null) {
        throw f;
      }
    }
  }

  /**
   * The result of walking a (sub-)definition: the payload after its last state, the last state's own result
   * (a map's: the list of element results; what a parallel branch yields), and its critical path.
   */
  private record Outcome(JsonNode payload, JsonNode lastResult, long criticalMicros) {}

  private Outcome walk(WorkflowDefinition def, JsonNode payload, Context ctx) {
    State current = def.states().get(def.root());
    JsonNode last = payload;
    long critical = 0;
    while (current != null) {
      ctx.entered(current.name());
      String next;
      if (current instanceof Task t) {
        Executed e = execute(t.funcName(), t.name(), payload, ctx);
        critical += e.micros();
        if (e.call().error() == null) {
          payload = e.call().output();
          next = t.next();
        } else if (t.failure() != null) {
          payload = withError(payload, e.call().error());
          next = t.failure();
        } else {
          throw ctx.fail(new WorkflowFailure(failed(t.funcName(), t.name(), e.call().error())));
        }
        last = payload;
      } else if (current instanceof Switch s) {
        next = choose(s, payload);
      } else if (current instanceof Repeat r) {
        for (int i = 0; i < r.count(); i++) {
          Executed e = execute(r.funcName(), r.name(), payload, ctx);
          critical += e.micros();
          if (e.call().error() != null) {
            throw ctx.fail(new WorkflowFailure(failed(r.funcName(),
                r.name() + " (repetition " + (i + 1) + " of " + r.count() + ")", e.call().error())));
          }
          payload = e.call().output();
        }
        last = payload;
        next = r.next();
      } else if (current instanceof Loop l) {
        for (JsonNode element : array(payload, l.array(), l.name())) {
          Executed e = execute(l.funcName(), l.name(), element, ctx);
          critical += e.micros();
          if (e.call().error() != null) {
            throw ctx.fail(new WorkflowFailure(failed(l.funcName(), l.name(), e.call().error())));
          }
        }
        last = payload;
        next = l.next();
      } else if (current instanceof MapState m) {
        ArrayNode elements = array(payload, m.array(), m.name());
        List<JsonNode> inputs = new ArrayList<>();
        for (JsonNode element : elements) {
          inputs.add(m.commonParams().isEmpty() ? element : withCommonParams(element, payload, m));
        }
        List<Outcome> outcomes = concurrently(inputs, input -> walk(m.body(), input, ctx), ctx);
        ArrayNode results = JSON.createArrayNode();
        outcomes.forEach(o -> results.add(o.payload()));
        critical += outcomes.stream().mapToLong(Outcome::criticalMicros).max().orElse(0);
        payload = setVar(payload, m.array(), results, m.name());
        last = results;
        next = m.next();
      } else if (current instanceof Parallel p) {
        JsonNode input = payload;
        List<Outcome> outcomes = concurrently(p.branches(), branch -> walk(branch, input.deepCopy(), ctx), ctx);
        ObjectNode merged = JSON.createObjectNode();
        for (int i = 0; i < outcomes.size(); i++) {
          merged.set(p.branches().get(i).root(), outcomes.get(i).lastResult());
        }
        critical += outcomes.stream().mapToLong(Outcome::criticalMicros).max().orElse(0);
        payload = merged;
        last = merged;
        next = p.next();
      } else {
        throw new IllegalStateException("Unknown state " + current);
      }
      current = next == null ? null : def.states().get(next);
    }
    return new Outcome(payload, last, critical);
  }

  /** One function execution: its call and its own duration in microseconds. */
  private record Executed(FunctionCall call, long micros) {}

  private Executed execute(String funcName, String state, JsonNode payload, Context ctx) {
    String functionRequestId = UUID.randomUUID().toString();
    JsonNode event = payload;
    if (payload instanceof ObjectNode object) {
      ObjectNode copy = object.deepCopy();
      copy.put("request-id", functionRequestId);
      event = copy;
    }
    FunctionCall call;
    ctx.checkNotFailed();
    ctx.slots.acquireUninterruptibly();
    try {
      ctx.checkNotFailed(); // the run failed while this one waited for a slot: it never starts
      call = caller.call(funcName, event);
    } finally {
      ctx.slots.release();
    }
    long begin = call.beginMicros() - functionClockAheadMicros;
    long end = Math.max(call.endMicros(), call.beginMicros()) - functionClockAheadMicros;
    if (call.beginMicros() > 0) {
      ctx.records().add(new FunctionRecord(funcName, state, functionRequestId, instant(begin), instant(end),
          call.isCold(), call.containerId(), call.error()));
    }
    return new Executed(call, call.beginMicros() > 0 ? end - begin : 0);
  }

  private static Instant instant(long epochMicros) {
    return Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS);
  }

  @FunctionalInterface
  private interface Step<T> {
    Outcome apply(T input);
  }

  /** Runs every input at once (beyond one), waits for all, and fails with the run's first failure in time. */
  private <T> List<Outcome> concurrently(List<T> inputs, Step<T> step, Context ctx) {
    if (inputs.size() == 1) {
      return List.of(step.apply(inputs.get(0)));
    }
    List<CompletableFuture<Outcome>> futures = new ArrayList<>();
    for (T input : inputs) {
      futures.add(CompletableFuture.supplyAsync(() -> {
        try {
          return step.apply(input);
        } catch (WorkflowFailure f) {
          throw ctx.fail(f); // at once, so elements still waiting for a slot do not start
        }
      }, threads));
    }
    List<Outcome> outcomes = new ArrayList<>();
    RuntimeException first = null;
    for (CompletableFuture<Outcome> f : futures) {
      try {
        outcomes.add(f.join());
      } catch (java.util.concurrent.CompletionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException r ? r : e;
        }
      }
    }
    if (first != null) {
      ctx.checkNotFailed(); // the failure that ended the run first, in time
      throw first;
    }
    return outcomes;
  }

  private String choose(Switch s, JsonNode payload) {
    for (WorkflowDefinition.Case c : s.cases()) {
      JsonNode value = getVar(payload, c.var(), s.name());
      if (compare(value, c.op(), c.val(), s.name(), c.var())) {
        return c.next();
      }
    }
    return s.defaultNext();
  }

  private static boolean compare(JsonNode value, String op, JsonNode expected, String state, String var) {
    int order;
    if (value.isNumber() && expected.isNumber()) {
      order = value.decimalValue().compareTo(expected.decimalValue());
    } else if (value.isTextual() && expected.isTextual()) {
      order = value.asText().compareTo(expected.asText());
    } else if (op.equals("==")) {
      return value.equals(expected);
    } else {
      throw new WorkflowFailure("switch state '" + state + "': cannot compare " + var + " = " + value + " " + op + " "
          + expected + " (a " + value.getNodeType() + " with a " + expected.getNodeType() + ")");
    }
    return switch (op) {
      case "<" -> order < 0;
      case "<=" -> order <= 0;
      case "==" -> order == 0;
      case ">=" -> order >= 0;
      case ">" -> order > 0;
      default -> throw new IllegalStateException(op);
    };
  }

  private static ObjectNode withCommonParams(JsonNode element, JsonNode payload, MapState m) {
    ObjectNode input = JSON.createObjectNode();
    input.set("array_element", element);
    for (String param : m.commonParams()) {
      input.set(param, getVar(payload, param, m.name()));
    }
    return input;
  }

  /** The payload a failure transition passes on: the failed function's input plus {@code error}. */
  static JsonNode withError(JsonNode payload, String error) {
    String line = error.lines().findFirst().orElse(error);
    int colon = line.indexOf(": ");
    ObjectNode errorNode = JSON.createObjectNode();
    boolean typed = colon > 0 && line.substring(0, colon).matches("[A-Za-z_][\\w.$]*");
    errorNode.put("Error", typed ? line.substring(0, colon) : "Error");
    // The wrappers append where the user's code failed, " (at f.py:3 in handler)": the cause is the message.
    errorNode.put("Cause", (typed ? line.substring(colon + 2) : line).replaceFirst(" \\(at [^()]*\\)$", ""));
    ObjectNode next = payload instanceof ObjectNode object ? object.deepCopy() : JSON.createObjectNode();
    if (!(payload instanceof ObjectNode)) {
      next.set("input", payload);
    }
    next.set("error", errorNode);
    return next;
  }

  private static String failed(String funcName, String state, String error) {
    return "function " + funcName + " (state " + state + ") failed: " + error;
  }

  private static ArrayNode array(JsonNode payload, String path, String state) {
    JsonNode node = getVar(payload, path, state);
    if (!node.isArray()) {
      throw new WorkflowFailure("state '" + state + "': '" + path + "' in the payload is not a list but " + abbreviate(node));
    }
    return (ArrayNode) node;
  }

  /** The value at a dotted path of the payload, as SeBS-Flow's get_var reads it. */
  static JsonNode getVar(JsonNode payload, String path, String state) {
    JsonNode node = payload;
    for (String name : path.split("\\.")) {
      node = node == null ? null : node.get(name);
      if (node == null) {
        throw new WorkflowFailure("state '" + state + "': the payload has no '" + path + "' (payload: "
            + abbreviate(payload) + ")");
      }
    }
    return node;
  }

  /** The payload with {@code value} at a dotted path (the payload is copied, never changed). */
  static JsonNode setVar(JsonNode payload, String path, JsonNode value, String state) {
    if (!(payload instanceof ObjectNode)) {
      throw new WorkflowFailure("state '" + state + "': cannot store results at '" + path + "' in " + abbreviate(payload));
    }
    ObjectNode root = ((ObjectNode) payload).deepCopy();
    String[] names = path.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < names.length - 1; i++) {
      if (!(node.get(names[i]) instanceof ObjectNode child)) {
        throw new WorkflowFailure("state '" + state + "': cannot store results at '" + path + "' in " + abbreviate(payload));
      }
      node = child;
    }
    node.set(names[names.length - 1], value);
    return root;
  }

  private static String abbreviate(JsonNode node) {
    String text = String.valueOf(node);
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  /** A run that cannot go on: a function failed without a failure transition, or the data flow broke. */
  static final class WorkflowFailure extends RuntimeException {
    WorkflowFailure(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
