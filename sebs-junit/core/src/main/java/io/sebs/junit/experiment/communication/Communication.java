package io.sebs.junit.experiment.communication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.experiment.Experiment;
import io.sebs.junit.report.Charts;
import io.sebs.junit.run.ExperimentScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * Latency and throughput of passing a message from one function instance to another through a storage
 * channel: {@code s3} (object storage, polled), {@code nosql} (DynamoDB items, polled; messages over
 * 300 KB are split into parts because DynamoDB limits an item to 400 KB) and {@code redis} (a list the
 * consumer blocks on). Made for 050.communication, whose function plays producer or consumer as the event
 * says.
 *
 * <p>Each message: the consumer is invoked first, and the producer {@link #HEAD_START} later on another
 * instance, concurrently. The head start lets the consumer be waiting when the producer sends, so the
 * latency (consumer receipt minus producer send, function-side timestamps) is the channel's, not the
 * consumer's invocation overhead; whether the consumer was ready is recorded per sample. Invoking producer
 * then consumer would instead measure the invocation plus one read. Both timestamps come from the
 * functions' clocks, which on the local platform are one clock. Before measuring, one unmeasured message
 * per channel warms both instances and their clients.
 */
public final class Communication implements Experiment {

  /** The channels 050.communication implements. */
  public static final Set<String> CHANNELS = Set.of("s3", "nosql", "redis");
  /** How long the producer is invoked after the consumer. */
  public static final Duration HEAD_START = Duration.ofMillis(150);

  private static final Logger LOG = Logger.getLogger(Communication.class.getName());

  private final ExperimentScope scope;

  private Communication(ExperimentScope scope) {
    this.scope = scope;
  }

  public static Communication create(ExperimentScope scope) {
    return new Communication(scope);
  }

  /**
   * Passes {@code repetitions} messages of every size through every channel and writes
   * {@code <Test.method>.communication.json} and {@code .communication.csv}, then the charts
   * {@code .communication.latency.png} and {@code .communication.throughput.png}.
   *
   * @throws IllegalArgumentException for an unknown channel, a size outside 1 B..16 MB or repetitions < 1
   * @throws IllegalStateException when an invocation fails (with the function's reason)
   */
  public CommunicationResult run(List<String> channels, List<Integer> sizes, int repetitions) {
    for (String c : channels) {
      if (!CHANNELS.contains(c)) {
        throw new IllegalArgumentException("Unknown channel '" + c + "'; use one of " + new java.util.TreeSet<>(CHANNELS));
      }
    }
    for (int size : sizes) {
      if (size < 1 || size > 16 * 1024 * 1024) {
        throw new IllegalArgumentException("Message sizes must be between 1 B and 16 MB, was " + size);
      }
    }
    if (channels.isEmpty() || sizes.isEmpty() || repetitions < 1) {
      throw new IllegalArgumentException("Give at least one channel and size and repetitions >= 1, e.g. "
          + "run(List.of(\"redis\"), List.of(1024), 3)");
    }
    FunctionInvoker invoker = scope.function().invoker();
    JsonNode base = invoker.input();
    List<MessageSample> samples = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "sebs-communication");
      t.setDaemon(true);
      return t;
    });
    try {
      for (String channel : channels) {
        pass(pool, invoker, base, channel, sizes.get(0), -1); // warm-up, not measured
        for (int size : sizes) {
          for (int rep = 0; rep < repetitions; rep++) {
            samples.add(pass(pool, invoker, base, channel, size, rep));
          }
        }
        LOG.info(() -> "communication: " + channel + " done");
      }
    } finally {
      pool.shutdownNow();
    }
    CommunicationResult result = new CommunicationResult(invoker.platform(), invoker.functionName(), samples);
    scope.writeResult("communication.json", "application/json", result.toJson());
    scope.writeResult("communication.csv", "text/csv", result.toCsv());
    CommunicationCharts.write(scope, result, Charts.DEFAULT);
    return result;
  }

  private static MessageSample pass(ExecutorService pool, FunctionInvoker invoker, JsonNode base, String channel,
      int size, int repetition) {
    String key = channel + "-" + size + "-" + UUID.randomUUID();
    CompletableFuture<Invocation> consumer =
        CompletableFuture.supplyAsync(() -> invoker.invoke(event(base, "consumer", channel, size, key)), pool);
    try {
      Thread.sleep(HEAD_START.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted before the producer was invoked", e);
    }
    Invocation producer = invoker.invoke(event(base, "producer", channel, size, key));
    Invocation received;
    try {
      received = consumer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the consumer", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("The consumer invocation threw", e.getCause());
    }
    for (Invocation i : List.of(producer, received)) {
      if (i.failed()) {
        throw new IllegalStateException("A " + (i == producer ? "producer" : "consumer") + " invocation on channel "
            + channel + " with " + size + " B failed: " + i.failureReason().orElse("unknown reason"));
      }
    }
    JsonNode p = producer.output();
    JsonNode c = received.output();
    boolean intact = p.path("sha256").asText().equals(c.path("sha256").asText())
        && c.path("size").asInt(-1) == size && p.path("size").asInt(-2) == size;
    return new MessageSample(channel, size, repetition, p.path("send_us").asLong(), p.path("written_us").asLong(),
        c.path("ready_us").asLong(), c.path("received_us").asLong(), c.path("polls").asInt(), intact);
  }

  private static JsonNode event(JsonNode base, String role, String channel, int size, String key) {
    ObjectNode event = base.deepCopy();
    event.put("role", role).put("channel", channel).put("size", size).put("key", key);
    return event;
  }
}
