package io.sebs.junit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.platform.InvocationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only JSON Lines file that receives every invocation the moment it completes, so a JVM killed in
 * the middle of a series (kill -9, a CI timeout, an out-of-memory kill) leaves every answer it got on disk.
 * The first line is a header (what was measured, where); each further line is one invocation with its raw
 * timestamps and the sample it belongs to ({@code measured}, {@code misclassified}, or an experiment's own
 * label). Each line is written with one {@code write} call on a file opened for appending, so the operating
 * system holds it even when the process dies right after: a torn last line is the most that can be lost,
 * and {@link #read} skips it.
 */
public final class InvocationJournal implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final FileChannel channel;
  private int lines;

  private InvocationJournal(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Creates {@code file} (replacing none: it must not exist) and writes the header line. */
  public static InvocationJournal create(Path file, ObjectNode header) {
    try {
      Files.createDirectories(file.getParent());
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      InvocationJournal journal = new InvocationJournal(file, channel);
      ObjectNode line = JSON.createObjectNode().put("type", "header");
      line.setAll(header);
      journal.writeLine(line);
      return journal;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the invocation journal " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  /** Appends one invocation of {@code sample} (e.g. {@code measured}); thread-safe. */
  public synchronized void append(String sample, Invocation invocation) {
    ObjectNode line = toJson(invocation);
    line.put("sample", sample);
    writeLine(line);
  }

  /** How many invocations were appended. */
  public synchronized int invocations() {
    return Math.max(0, lines - 1);
  }

  private synchronized void writeLine(ObjectNode line) {
    try {
      ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      lines++;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot append to the invocation journal " + file, e);
    }
  }

  /** Closes the file; it stays on disk. */
  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close the invocation journal " + file, e);
    }
  }

  /** Closes and deletes the journal, once its invocations are in the final results files. */
  public void discard() {
    close();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the invocation journal " + file, e);
    }
  }

  /** What a journal holds: its header, and each invocation with its sample label, in order. */
  public record Contents(ObjectNode header, List<Entry> entries, boolean tornLastLine) {

    /** The invocations of one sample, in order. */
    public List<Invocation> sample(String sample) {
      return entries.stream().filter(e -> e.sample().equals(sample)).<Invocation>map(Entry::invocation).toList();
    }
  }

  /** One journal line: an invocation and the sample it was recorded in. */
  public record Entry(String sample, InvocationResult invocation) {}

  /**
   * Reads a journal, skipping a torn last line (a process killed in the middle of a write).
   *
   * @throws IllegalArgumentException when the file is not a journal (no header) or a line before the last
   *     is not JSON, naming the file and line
   */
  public static Contents read(Path file) {
    List<String> text;
    try {
      text = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the invocation journal " + file, e);
    }
    ObjectNode header = null;
    List<Entry> entries = new ArrayList<>();
    boolean torn = false;
    for (int n = 0; n < text.size(); n++) {
      String raw = text.get(n);
      if (raw.isBlank()) {
        continue;
      }
      JsonNode line;
      try {
        line = JSON.readTree(raw);
      } catch (IOException e) {
        if (n == text.size() - 1) {
          torn = true;
          break;
        }
        throw new IllegalArgumentException("Invocation journal " + file + " line " + (n + 1) + " is not JSON: "
            + e.getMessage(), e);
      }
      if (n == 0 || header == null) {
        if (!"header".equals(line.path("type").asText())) {
          throw new IllegalArgumentException(file + " is not an invocation journal: its first line has no "
              + "\"type\": \"header\"");
        }
        header = (ObjectNode) line;
        header.remove("type");
        continue;
      }
      entries.add(new Entry(line.path("sample").asText("measured"), fromJson(line)));
    }
    if (header == null) {
      throw new IllegalArgumentException(file + " is an empty invocation journal (no header line)");
    }
    return new Contents(header, entries, torn);
  }

  static ObjectNode toJson(Invocation i) {
    ObjectNode node = JSON.createObjectNode();
    node.put("request_id", i.requestId());
    node.put("container_id", i.containerId());
    node.put("client_us", micros(i.clientTime()));
    if (i instanceof InvocationResult r) {
      node.put("client_begin_us", r.clientBeginMicros());
      node.put("function_begin_us", r.functionBeginMicros());
      node.put("function_end_us", r.functionEndMicros());
      node.put("income_us", r.incomeTimestampMicros());
      node.put("memory_used_mb", r.memoryUsedMb());
    } else {
      node.put("function_begin_us", 0);
      node.put("function_end_us", micros(i.benchmarkTime()));
    }
    if (i instanceof io.sebs.junit.WorkflowRun run) { // a workflow run keeps its function records too
      node.set("functions", ResultsWriter.functionRecords(run));
    }
    node.put("provider_us", i.providerTime().map(InvocationJournal::micros).orElse(-1L));
    node.put("init_us", i.initTime().map(InvocationJournal::micros).orElse(-1L));
    node.put("is_cold", i.isCold());
    i.failureReason().ifPresent(reason -> node.put("failure", reason));
    if (!i.output().isMissingNode()) {
      node.set("output", i.output());
    }
    if (!i.measurement().isMissingNode()) {
      node.set("measurement", i.measurement());
    }
    return node;
  }

  static InvocationResult fromJson(JsonNode n) {
    return new InvocationResult(n.path("request_id").asText(), n.path("client_begin_us").asLong(),
        n.path("client_us").asLong(), n.path("function_begin_us").asLong(), n.path("function_end_us").asLong(),
        n.path("income_us").asLong(), n.path("provider_us").asLong(-1), n.path("init_us").asLong(-1),
        n.path("is_cold").asBoolean(), n.path("container_id").asText(""),
        n.hasNonNull("failure") ? n.get("failure").asText() : null, n.get("output"), n.get("measurement"),
        n.path("memory_used_mb").asDouble(-1));
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1000;
  }
}
