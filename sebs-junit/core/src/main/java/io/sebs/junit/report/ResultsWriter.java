package io.sebs.junit.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.Invocation;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.Measurements;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.cost.Billing;
import io.sebs.junit.cost.CostModel;
import io.sebs.junit.cost.CostSummary;
import io.sebs.junit.cost.FunctionPricing;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.stats.ConfidenceInterval;
import io.sebs.junit.stats.SampleStatistics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Writes one SeBS-style JSON file and one CSV of samples per measured test into the run's folder, before
 * the test's budgets are checked, so a failing budget never loses the data behind it.
 *
 * <p>JSON: {@code _invocations} keyed by function name and request id, each with {@code times} in
 * microseconds ({@code client}, {@code client_begin}, {@code begin}, {@code end}, {@code benchmark},
 * {@code initialization}), {@code stats.cold_start}, {@code stats.failure}, {@code stats.memory_used} (MB, the instance's peak so far;
 * null when the platform measures none), {@code provider_times},
 * {@code container_id} and {@code output}; plus {@code statistics} per metric (microseconds) with
 * confidence intervals, and {@code statistics.memory_used} (in MB) where memory was measured.
 *
 * <p>With a {@link CostModel}, every invocation gets SeBS's {@code billing} ({@code memory} in MB,
 * {@code billed_time} in ms, {@code gb_seconds}, plus {@code ghz_seconds} or {@code vcpu_seconds} where CPU
 * is billed, {@code cost_usd} and {@code estimated}: true when the billed time is the benchmark time because the
 * platform reported none), and {@code statistics.cost} gives the cost of the successful invocations per
 * invocation and per one million, with the prices' provider, source and date. The memory is the
 * deployment's ({@link io.sebs.junit.benchmark.FunctionSpec#memoryMb()}).
 */
public final class ResultsWriter {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final List<String> CSV_COLUMNS = List.of("request_id", "container_id", "is_cold", "failed", "sample",
      "client_time_us", "benchmark_time_us", "provider_time_us", "init_time_us", "client_begin_us",
      "function_begin_us", "function_end_us", "memory_used_mb", "failure");

  private final Path directory;
  private final double confidence;
  private final CostModel costModel;

  /** A writer without prices: no {@code billing}, no {@code statistics.cost}. */
  public ResultsWriter(Path directory, double confidence) {
    this(directory, confidence, null);
  }

  /** @param costModel how invocations are priced; null for none */
  public ResultsWriter(Path directory, double confidence, CostModel costModel) {
    this.directory = directory;
    this.confidence = confidence;
    this.costModel = costModel;
  }

  public Path directory() {
    return directory;
  }

  /**
   * The files written for one experiment. Their text is read from the files when asked for, not kept: a long
   * series' JSON runs to tens of megabytes.
   */
  public record Written(Path json, Path csv) {

    /** The JSON file's content. */
    public String jsonText() {
      return read(json);
    }

    /** The CSV file's content. */
    public String csvText() {
      return read(csv);
    }

    private static String read(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the results file " + file, e);
      }
    }
  }

  /**
   * A series in progress: the base name its result files will have, and the journal that receives each
   * invocation as it completes ({@code <base>.jsonl}), until {@link #write(ExperimentRecord, Started)} turns
   * it into the final JSON and CSV.
   */
  public record Started(String base, InvocationJournal journal) {}

  /**
   * Opens the journal of a series about to run: {@code record} says what is measured (its measurements are
   * the empty series of the planned kind; its end is ignored). Should the JVM die before the series ends,
   * {@link ResultsFolder} reads the journal as an incomplete series.
   */
  public synchronized Started start(ExperimentRecord record) {
    String base = uniqueBase(safeName(record.name()));
    ObjectNode header = toJson(record);
    for (String field : new String[] {"_invocations", "_misclassified", "statistics", "end"}) {
      header.remove(field);
    }
    ((ObjectNode) header.get("settings")).remove("stop_reason");
    return new Started(base, InvocationJournal.create(directory.resolve(base + ".jsonl"), header));
  }

  /** Writes the results of a series that was not journaled. */
  public Written write(ExperimentRecord record) {
    return write(record, null);
  }

  /**
   * Writes {@code <base>.json} and {@code <base>.csv} for the finished series, then deletes its journal
   * (the JSON holds everything the journal did).
   *
   * @param started the journal opened by {@link #start}; null when there is none
   */
  public Written write(ExperimentRecord record, Started started) {
    try {
      Files.createDirectories(directory);
      String base = started != null ? started.base() : uniqueBase(safeName(record.name()));
      Path json = directory.resolve(base + ".json");
      Path csv = directory.resolve(base + ".csv");
      Path partial = directory.resolve(base + ".json.partial");
      try {
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
          writeJson(record, out);
        }
        Files.move(partial, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException | Error e) { // no half-written file left in the results folder
        Files.deleteIfExists(partial);
        throw e;
      }
      Path csvPartial = directory.resolve(base + ".csv.partial");
      try {
        try (java.io.Writer out = Files.newBufferedWriter(csvPartial, StandardCharsets.UTF_8)) {
          writeCsv(record.measurements(), out);
        }
        Files.move(csvPartial, csv, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException | Error e) {
        Files.deleteIfExists(csvPartial);
        throw e;
      }
      if (record.measurements().invocations().stream().anyMatch(i -> i instanceof WorkflowRun)) {
        Files.writeString(directory.resolve(base + ".functions.csv"), functionsCsv(record.measurements()),
            StandardCharsets.UTF_8);
      }
      if (started != null) {
        started.journal().discard();
      }
      return new Written(json, csv);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write results of " + record.name() + " to " + directory, e);
    }
  }

  private static String safeName(String name) {
    return name.replaceAll("[^A-Za-z0-9._\\[\\]-]", "_");
  }

  /**
   * The results JSON of a series whose JVM ended before the series did, rebuilt from its journal: the same
   * fields as a finished series' JSON, with {@code "incomplete": true}, a {@code stop_reason} that says so,
   * no {@code end} and no {@code billing}, and statistics over the invocations the journal holds.
   */
  public static ObjectNode recover(Path journalFile, double confidence) {
    InvocationJournal.Contents contents = InvocationJournal.read(journalFile);
    ObjectNode root = contents.header().deepCopy();
    io.sebs.junit.Measurements.Kind kind = io.sebs.junit.Measurements.Kind.valueOf(
        root.path("experiment").asText("warm").toUpperCase(java.util.Locale.ROOT));
    String function = root.path("function").asText();
    io.sebs.junit.series.MeasurementSeries series = new io.sebs.junit.series.MeasurementSeries(kind, function,
        root.path("platform").asText(), contents.sample("measured"), contents.sample("misclassified"),
        "incomplete: the run ended after " + contents.entries().size() + " invocation(s) of this series"
            + (contents.tornLastLine() ? " (and a torn last line)" : ""));
    ResultsWriter writer = new ResultsWriter(journalFile.getParent(), confidence);
    root.put("incomplete", true);
    root.put("journal", journalFile.getFileName().toString());
    ((ObjectNode) root.path("settings")).put("stop_reason", series.stopReason());
    root.putObject("_invocations").set(function, writer.invocations(series.invocations(), null));
    root.putObject("_misclassified").set(function, writer.invocations(series.misclassified(), null));
    root.set("statistics", writer.statistics(series));
    return root;
  }

  private synchronized String uniqueBase(String base) {
    String candidate = base;
    for (int i = 2; Files.exists(directory.resolve(candidate + ".json"))
        || Files.exists(directory.resolve(candidate + ".jsonl")); i++) {
      candidate = base + "-" + i;
    }
    return candidate;
  }

  /**
   * Streams what {@link #toJson} builds, byte for byte, to {@code out}: the invocations one at a time, so a long
   * series is never a tree on the heap (a 100,000-invocation tree and its text took ~370 MB).
   */
  void writeJson(ExperimentRecord record, java.io.OutputStream out) throws IOException {
    Measurements m = record.measurements();
    FunctionPricing pricing = costModel == null ? null : costModel.forMemory(record.spec().memoryMb());
    com.fasterxml.jackson.databind.ObjectWriter writer =
        JSON.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    try (com.fasterxml.jackson.core.JsonGenerator g = JSON.createGenerator(out,
        com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
      g.disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      var head = head(record).fields();
      while (head.hasNext()) {
        var field = head.next();
        g.writeFieldName(field.getKey());
        writer.writeValue(g, field.getValue());
      }
      for (String sample : new String[] {"_invocations", "_misclassified"}) {
        List<Invocation> invocations = sample.equals("_invocations") ? m.invocations() : m.misclassified();
        g.writeObjectFieldStart(sample);
        g.writeFieldName(record.functionName());
        if (distinctRequestIds(invocations)) {
          g.writeStartObject();
          for (Invocation i : invocations) {
            g.writeFieldName(i.requestId());
            writer.writeValue(g, invocation(i, pricing));
          }
          g.writeEndObject();
        } else { // a repeated id keeps its first place and its last value, as the tree's map does
          writer.writeValue(g, invocations(invocations, pricing));
        }
        g.writeEndObject();
      }
      g.writeFieldName("statistics");
      writer.writeValue(g, statistics(m, pricing));
      g.writeEndObject();
    }
  }

  /**
   * Whether no request id repeats, by 64-bit hashes (8 bytes per invocation rather than a set of strings); a
   * collision only sends the series down the tree path, which is right either way.
   */
  private static boolean distinctRequestIds(List<Invocation> invocations) {
    long[] hashes = new long[invocations.size()];
    int n = 0;
    for (Invocation i : invocations) {
      String id = i.requestId();
      if (id == null) {
        return false;
      }
      long h = 0xcbf29ce484222325L; // FNV-1a
      for (int c = 0; c < id.length(); c++) {
        h = (h ^ id.charAt(c)) * 0x100000001b3L;
      }
      hashes[n++] = h;
    }
    java.util.Arrays.sort(hashes);
    for (int k = 1; k < hashes.length; k++) {
      if (hashes[k] == hashes[k - 1]) {
        return false;
      }
    }
    return true;
  }

  ObjectNode toJson(ExperimentRecord record) {
    ObjectNode root = head(record);
    Measurements m = record.measurements();
    FunctionPricing pricing = costModel == null ? null : costModel.forMemory(record.spec().memoryMb());
    root.putObject("_invocations").set(record.functionName(), invocations(m.invocations(), pricing));
    root.putObject("_misclassified").set(record.functionName(), invocations(m.misclassified(), pricing));
    root.set("statistics", statistics(m, pricing));
    return root;
  }

  /** The fields before the invocations: what was measured, where, how. */
  private ObjectNode head(ExperimentRecord record) {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", record.name());
    root.put("test_id", record.testId());
    root.put("experiment", record.measurements().kind().name().toLowerCase(java.util.Locale.ROOT));
    root.put("platform", record.platform());
    root.put("benchmark", record.spec().benchmark().id());
    root.put("language", record.spec().language().id());
    root.put("language_version", record.spec().languageVersion());
    root.put("size", record.spec().size());
    root.put("memory", record.spec().memoryMb());
    root.put("timeout", record.spec().timeoutSeconds());
    root.put("function", record.functionName());
    root.put("code_hash", record.codeHash());
    root.put("begin", record.begin().toString());
    root.put("end", record.end().toString());
    ObjectNode settings = JSON.valueToTree(record.settings());
    settings.put("stop_reason", record.measurements().stopReason());
    root.set("settings", settings);
    root.set("input", record.input());
    return root;
  }

  /** {@code statistics}, with {@code statistics.cost} when priced. */
  private ObjectNode statistics(Measurements m, FunctionPricing pricing) {
    ObjectNode statistics = statistics(m);
    if (pricing != null) {
      statistics.set("cost", cost(pricing.summarize(m.successful())));
    }
    return statistics;
  }

  /** {@code statistics.cost}: the price of the successful invocations and where the prices come from. */
  static ObjectNode cost(CostSummary cost) {
    ObjectNode node = JSON.createObjectNode();
    node.put("provider", cost.prices().provider());
    node.put("architecture", cost.prices().architecture());
    node.put("memory", cost.memoryMb());
    node.put("n", cost.n());
    node.put("estimated", cost.estimated());
    node.put("total_usd", cost.totalUsd());
    node.put("per_invocation_usd", cost.perInvocationUsd());
    node.put("per_million_usd", cost.perMillionUsd());
    node.put("prices_source", cost.prices().source());
    node.put("prices_retrieved", cost.prices().retrieved().toString());
    return node;
  }

  /** SeBS's {@code billing} of one invocation. */
  static ObjectNode billing(Billing bill) {
    ObjectNode node = JSON.createObjectNode();
    node.put("memory", bill.memoryMb());
    node.put("billed_time", bill.billedMs());
    node.put("gb_seconds", bill.gbSeconds());
    if (bill.ghzSeconds() > 0) {
      node.put("ghz_seconds", bill.ghzSeconds());
    }
    if (bill.vcpuSeconds() > 0) {
      node.put("vcpu_seconds", bill.vcpuSeconds());
    }
    node.put("cost_usd", bill.costUsd());
    node.put("estimated", bill.estimated());
    return node;
  }

  /**
   * A workflow run's function executions as SeBS-Flow records them: {@code func}, {@code start} and
   * {@code end} (epoch seconds with microseconds), {@code is_cold}, {@code container_id}, {@code
   * request_id}, plus the state and any error.
   */
  static com.fasterxml.jackson.databind.node.ArrayNode functionRecords(WorkflowRun run) {
    com.fasterxml.jackson.databind.node.ArrayNode records = JSON.createArrayNode();
    for (FunctionRecord f : run.functions()) {
      ObjectNode r = records.addObject();
      r.put("func", f.name());
      if (f.state() != null) {
        r.put("state", f.state());
      }
      r.put("start", ClientTimes.epochSeconds(f.begin()));
      r.put("end", ClientTimes.epochSeconds(f.end()));
      r.put("is_cold", f.isCold());
      r.put("container_id", f.containerId());
      r.put("request_id", f.requestId());
      r.put("workflow_request_id", run.requestId());
      if (f.failed()) {
        r.put("error", f.error());
      }
    }
    return records;
  }

  private ObjectNode invocations(List<Invocation> invocations, FunctionPricing pricing) {
    ObjectNode byId = JSON.createObjectNode();
    for (Invocation i : invocations) {
      byId.set(i.requestId(), invocation(i, pricing));
    }
    return byId;
  }

  /** One entry of {@code _invocations}. */
  private ObjectNode invocation(Invocation i, FunctionPricing pricing) {
    ObjectNode node = JSON.createObjectNode();
    node.put("request_id", i.requestId());
    node.put("container_id", i.containerId());
    ObjectNode times = node.putObject("times");
    times.put("client", micros(i.clientTime()));
    times.put("benchmark", micros(i.benchmarkTime()));
    i.initTime().ifPresent(d -> times.put("initialization", micros(d)));
    if (i instanceof InvocationResult r) {
      times.put("client_begin", r.clientBeginMicros());
      times.put("begin", r.functionBeginMicros());
      times.put("end", r.functionEndMicros());
      if (r.incomeTimestampMicros() > 0) {
        times.put("income_timestamp", r.incomeTimestampMicros());
      }
    }
    if (i instanceof WorkflowRun run) {
      times.put("client_begin", ClientTimes.epochMicros(run.clientBegin()));
      times.put("critical_path", micros(run.criticalPath()));
      times.put("overhead", micros(run.overhead()));
      node.set("functions", functionRecords(run));
    }
    ObjectNode provider = node.putObject("provider_times");
    i.providerTime().ifPresent(d -> provider.put("execution", micros(d)));
    if (pricing != null) {
      node.set("billing", billing(pricing.bill(i)));
    }
    ObjectNode stats = node.putObject("stats");
    stats.put("cold_start", i.isCold());
    stats.put("failure", i.failed());
    if (i.memoryUsed().isPresent()) {
      stats.put("memory_used", i.memoryUsed().getAsDouble());
    } else {
      stats.putNull("memory_used");
    }
    i.failureReason().ifPresent(reason -> node.put("failure", reason));
    node.set("output", i.output().isMissingNode() ? null : i.output());
    if (!i.measurement().isMissingNode()) {
      node.set("measurement", i.measurement());
    }
    return node;
  }

  private ObjectNode statistics(Measurements m) {
    ObjectNode stats = JSON.createObjectNode();
    stats.put("unit", "us");
    stats.put("confidence", confidence);
    stats.put("invocations", m.invocations().size());
    stats.put("successful", m.successful().size());
    stats.put("failures", m.failures().size());
    stats.put("misclassified", m.misclassified().size());
    stats.put("failure_rate", m.failureRate());
    stats.put("cold_start_rate", m.coldStartRate());
    for (TimeMetric metric : TimeMetric.values()) {
      SampleStatistics s = m.statistics(metric);
      if (s.count() > 0) {
        stats.set(metric.name().toLowerCase(java.util.Locale.ROOT), summary(s));
      }
    }
    SampleStatistics memory = m.memoryUsed();
    if (memory.count() > 0) {
      ObjectNode node = summary(memory);
      node.put("unit", "MB");
      stats.set("memory_used", node);
    }
    return stats;
  }

  ObjectNode summary(SampleStatistics s) {
    ObjectNode node = JSON.createObjectNode();
    node.put("n", s.count());
    node.put("mean", s.mean());
    node.put("median", s.median());
    node.put("std", s.standardDeviation());
    node.put("cv", s.coefficientOfVariation());
    node.put("min", s.min());
    node.put("max", s.max());
    for (double p : new double[] {50, 90, 95, 99}) {
      node.put("p" + (int) p, s.percentile(p));
    }
    interval(node, "mean_ci", s.meanInterval(confidence));
    interval(node, "median_ci", s.medianInterval(confidence));
    return node;
  }

  private static void interval(ObjectNode node, String name, Optional<ConfidenceInterval> ci) {
    if (ci.isPresent()) {
      ArrayNode array = node.putArray(name);
      array.add(ci.get().lower()).add(ci.get().upper());
    } else {
      node.putNull(name);
    }
  }

  /**
   * One row per function execution of every workflow run, as SeBS-Flow's analysis reads them: the run's
   * request id, {@code func}, {@code start} and {@code end} (epoch seconds with microseconds, client
   * clock), {@code is_cold}, {@code container_id}, the function's own request id, the state and the
   * error; the runs' own figures are in the series CSV beside it.
   */
  static String functionsCsv(Measurements m) {
    StringBuilder csv = new StringBuilder(
        "workflow_request_id,func,start,end,duration,is_cold,container_id,request_id,state,failed,error,sample\n");
    appendFunctionRows(csv, m.invocations(), "measured");
    appendFunctionRows(csv, m.misclassified(), "misclassified");
    return csv.toString();
  }

  private static void appendFunctionRows(StringBuilder csv, List<Invocation> invocations, String sample) {
    for (Invocation i : invocations) {
      if (!(i instanceof WorkflowRun run)) {
        continue;
      }
      for (FunctionRecord f : run.functions()) {
        csv.append(csvText(run.requestId())).append(',').append(csvText(f.name())).append(',')
            .append(ClientTimes.epochSeconds(f.begin()).toPlainString()).append(',')
            .append(ClientTimes.epochSeconds(f.end()).toPlainString()).append(',')
            .append(micros(f.duration())).append(',').append(f.isCold()).append(',')
            .append(csvText(f.containerId())).append(',').append(csvText(f.requestId())).append(',')
            .append(csvText(java.util.Objects.toString(f.state(), ""))).append(',').append(f.failed()).append(',')
            .append(csvText(f.failure().orElse(""))).append(',').append(sample).append('\n');
      }
    }
  }

  static String toCsv(Measurements m) {
    java.io.StringWriter csv = new java.io.StringWriter();
    try {
      writeCsv(m, csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not throw
    }
    return csv.toString();
  }

  /** The CSV of samples, row by row (a long series' text is not built in memory). */
  static void writeCsv(Measurements m, Appendable csv) throws IOException {
    csv.append(String.join(",", CSV_COLUMNS)).append('\n');
    appendRows(csv, m.invocations(), "measured");
    appendRows(csv, m.misclassified(), "misclassified");
  }

  private static void appendRows(Appendable csv, List<Invocation> invocations, String sample) throws IOException {
    StringBuilder row = new StringBuilder();
    for (Invocation i : invocations) {
      InvocationResult r = i instanceof InvocationResult ir ? ir : null;
      row.setLength(0);
      row.append(csvText(i.requestId())).append(',')
          .append(csvText(i.containerId())).append(',')
          .append(i.isCold()).append(',')
          .append(i.failed()).append(',')
          .append(sample).append(',')
          .append(micros(i.clientTime())).append(',')
          .append(micros(i.benchmarkTime())).append(',')
          .append(i.providerTime().map(d -> Long.toString(micros(d))).orElse("")).append(',')
          .append(i.initTime().map(d -> Long.toString(micros(d))).orElse("")).append(',')
          .append(r == null ? "" : Long.toString(r.clientBeginMicros())).append(',')
          .append(r == null ? "" : Long.toString(r.functionBeginMicros())).append(',')
          .append(r == null ? "" : Long.toString(r.functionEndMicros())).append(',')
          .append(i.memoryUsed().isPresent() ? Double.toString(i.memoryUsed().getAsDouble()) : "").append(',')
          .append(csvText(i.failureReason().orElse("")))
          .append('\n');
      csv.append(row);
    }
  }

  private static String csvText(String text) {
    String oneLine = text.replace('\n', ' ').replace('\r', ' ');
    return oneLine.contains(",") || oneLine.contains("\"") ? "\"" + oneLine.replace("\"", "\"\"") + "\"" : oneLine;
  }

  private static long micros(java.time.Duration d) {
    return d.toNanos() / 1000;
  }
}
