package io.sebs.junit.platform.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.benchmark.Benchmark;
import io.sebs.junit.benchmark.InputBridge;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which benchmarks run as Workers, measured instead of tabulated by hand: each benchmark x language is deployed on
 * cloudflare-local and invoked once with its generated input, and its output checked by the benchmark's own {@code
 * validate_output}; what fails gets a reason read from the failure (a native package, a sub-process, a Node.js API
 * Workers do not have, a language Workers here cannot run). SeBS's tutorial material keeps such a table by hand. A
 * benchmark using sharp runs on the platform's polyfill of it ({@link SharpPolyfill}); what the polyfill lacks is a
 * native package's row naming the missing call.
 */
public final class WorkersCompatibility {

  /** What a probe found. */
  public enum Verdict {
    RUNS("runs, output validated"),
    RUNS_UNVALIDATED("runs (the benchmark has no validate_output)"),
    OUTPUT_INVALID("runs, output invalid"),
    LANGUAGE("language not runnable here"),
    NATIVE_PACKAGE("native package"),
    SUBPROCESS("needs a sub-process"),
    NODE_API("Node.js API missing in Workers"),
    SIZE_LIMIT("over the Worker size limit"),
    CPU_LIMIT("over the CPU-time limit"),
    MODULE_MISSING("module not bundled"),
    HANGS("never answers"),
    NOT_YET("needs what cloudflare-local does not have yet"),
    FAILS("fails (unclassified)");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public boolean runs() {
      return this == RUNS || this == RUNS_UNVALIDATED;
    }
  }

  /**
   * One benchmark x language: the verdict, the reason the table gives, and what it rests on (the whole failure
   * message; empty when it runs).
   */
  public record Row(String benchmark, String language, Verdict verdict, String detail, String evidence) {

    Row(String benchmark, String language, Verdict verdict, String detail) {
      this(benchmark, language, verdict, detail, "");
    }
  }

  private static final int DETAIL_LENGTH = 160;

  private WorkersCompatibility() {}

  /**
   * Deploys {@code benchmark} in {@code language} on the run's platform (cloudflare-local) and invokes it once with its
   * generated input, changed by {@code payload} (e.g. an address only the caller can serve); never throws for what the
   * function or its deployment does wrong: that is the row's verdict. What cloudflare-local refuses is refused before
   * the input is generated, so a benchmark whose input cannot be made here still gets its real reason.
   */
  public static Row probe(BenchmarkRun run, String benchmark, Language language, UnaryOperator<JsonNode> payload) {
    PreparedFunction function;
    try {
      CloudflareLocalPlatform.checkSupported(run.spec(benchmark, language.id(), "", "test", 0, 0));
      function = run.prepare(run.spec(benchmark, language.id(), "", "test", 0, 0));
    } catch (RuntimeException e) {
      return failed(benchmark, language, describe(e));
    }
    JsonNode event = payload.apply(function.input().input().deepCopy());
    Invocation invocation;
    try {
      invocation = function.invoker().invoke(event);
    } catch (RuntimeException e) {
      return failed(benchmark, language, describe(e));
    }
    if (invocation.failed()) {
      String message = invocation.failureReason().orElse("failed without a reason");
      Row row = failed(benchmark, language, message);
      return row.verdict() == Verdict.HANGS ? hungOn(row, function.spec().benchmark(), language) : row;
    }
    Benchmark b = function.spec().benchmark();
    Optional<List<InputBridge.Validation>> validation = function.bridge().validate(b, language,
        function.input().dataDir(), event, List.of(InputBridge.sebsOutput(invocation.output(), invocation.measurement())));
    if (validation.isEmpty()) {
      return new Row(benchmark, language.id(), Verdict.RUNS_UNVALIDATED, "");
    }
    InputBridge.Validation v = validation.get().get(0);
    return v.valid() ? new Row(benchmark, language.id(), Verdict.RUNS, "")
        : new Row(benchmark, language.id(), Verdict.OUTPUT_INVALID, shorten(v.reason()));
  }

  private static final Pattern NO_IO_IN_WORKERS = Pattern.compile("require\\(\\s*['\"](?:node:)?(dgram)['\"]\\s*\\)");

  /**
   * A request workerd cancelled as hung names no cause; a benchmark that requires a module whose calls never complete
   * in Workers (node:dgram: no UDP) is given that as its reason.
   */
  private static Row hungOn(Row row, Benchmark benchmark, Language language) {
    java.nio.file.Path code = benchmark.codeDirectory(language);
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(code)) {
      for (java.nio.file.Path file : (Iterable<java.nio.file.Path>) files
          .filter(f -> f.toString().endsWith(".js") && !f.toString().contains("node_modules"))::iterator) {
        Matcher m = NO_IO_IN_WORKERS.matcher(java.nio.file.Files.readString(file));
        if (m.find()) {
          return new Row(row.benchmark(), row.language(), Verdict.NODE_API, "node:" + m.group(1) + " (" + file
              .getFileName() + "): Workers have no UDP sockets; the socket never answers and workerd cancels the hung"
              + " request", row.evidence());
        }
      }
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return row;
    }
    return row;
  }

  private static Row failed(String benchmark, Language language, String message) {
    Finding finding = classify(message);
    return new Row(benchmark, language.id(), finding.verdict(), finding.reason(), message);
  }

  private static String describe(Throwable e) {
    StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      message.append(" <- ").append(cause.getMessage());
    }
    return message.toString();
  }

  /** A verdict and the short reason the table gives for it. */
  public record Finding(Verdict verdict, String reason) {}

  /** The Workers polyfill of sharp ({@link SharpPolyfill}) refusing what it does not implement. */
  private static final Pattern SHARP_POLYFILL_LACKS =
      Pattern.compile("sharp: (.+?) is not supported by sebs-junit's Workers polyfill of sharp");
  private static final Pattern NATIVE = Pattern.compile("Could not load the \"([\\w@/.-]+)\" module"
      + "|node_modules/([\\w@.-]+)/[^\"'\\s]*\\.node\\b|([\\w@.-]+)\\.node\"");
  private static final Pattern NODE_MODULE = Pattern.compile("(?:No such module|Could not resolve|Cannot find module)"
      + " \"?'?(?:node:)?([\\w@/.-]+)");
  private static final Pattern NODE_API = Pattern.compile("(?<![\\w.])(?:node:)?(dgram|child_process|cluster|"
      + "worker_threads|http2|inspector|v8|vm|repl|tty)\\b");

  /** The verdict a failure's message points to, with the reason in a few words; {@link Verdict#FAILS} when none. */
  public static Finding classify(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("python workers are planned")) {
      return new Finding(Verdict.LANGUAGE, "Python Workers run on Pyodide, which workerd downloads from Cloudflare's"
          + " CDN when the Worker starts (not reachable here)");
    }
    if (m.contains("planned") && m.contains("issue 15")) {
      return new Finding(Verdict.NOT_YET, shorten(message));
    }
    if (m.contains("workers have no redis")) {
      return new Finding(Verdict.NOT_YET, "Redis: Workers reach no Redis server (TCP sockets only through connect())");
    }
    Matcher polyfill = SHARP_POLYFILL_LACKS.matcher(message);
    if (polyfill.find()) {
      return new Finding(Verdict.NATIVE_PACKAGE, "sharp is native code, and its Workers polyfill lacks "
          + polyfill.group(1));
    }
    Matcher nativeCode = NATIVE.matcher(message);
    boolean nativeFound = nativeCode.find();
    if (nativeFound || m.contains("no loader is configured for \".node\"")) {
      String name = nativeFound ? firstGroup(nativeCode) : "a package";
      return new Finding(Verdict.NATIVE_PACKAGE, name + " is native code (a .node addon): Workers load JavaScript"
          + " and WebAssembly only");
    }
    if (m.contains("child_process")) {
      return new Finding(Verdict.SUBPROCESS, "starts a process: Workers have no sub-processes");
    }
    if (m.contains("your worker's code had hung")) {
      return new Finding(Verdict.HANGS, "the Worker never answered: workerd cancelled the request as hung");
    }
    if (m.contains("exceeded cpu") || m.contains("cpu time limit")) {
      return new Finding(Verdict.CPU_LIMIT, shorten(message));
    }
    if (m.contains("script too large") || m.contains("exceeds the size limit")) {
      return new Finding(Verdict.SIZE_LIMIT, shorten(message));
    }
    Matcher api = NODE_API.matcher(message);
    if ((m.contains("not implemented") || m.contains("is not supported") || m.contains("[unenv]")
        || m.contains("no such module")) && api.find()) {
      return new Finding(Verdict.NODE_API, "node:" + api.group(1) + " is not available in Workers"
          + (api.group(1).equals("dgram") ? " (no UDP sockets)" : "") + ": " + shorten(message));
    }
    Matcher module = NODE_MODULE.matcher(message);
    if (module.find()) {
      return new Finding(Verdict.MODULE_MISSING, "'" + module.group(1) + "' is not in the bundle: " + shorten(message));
    }
    return new Finding(Verdict.FAILS, shorten(message));
  }

  private static String firstGroup(Matcher matcher) {
    for (int g = 1; g <= matcher.groupCount(); g++) {
      if (matcher.group(g) != null) {
        return matcher.group(g);
      }
    }
    return "a package";
  }

  private static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= DETAIL_LENGTH ? oneLine : oneLine.substring(0, DETAIL_LENGTH - 3) + "...";
  }

  /** The rows as a Markdown table (benchmark, language, verdict, why). */
  public static String markdown(List<Row> rows) {
    StringBuilder out = new StringBuilder("| Benchmark | Language | On Workers (cloudflare-local) | Why |\n")
        .append("|---|---|---|---|\n");
    for (Row r : rows) {
      out.append("| ").append(r.benchmark()).append(" | ").append(r.language()).append(" | ")
          .append(r.verdict().label()).append(" | ").append(r.detail().replace("|", "\\|")).append(" |\n");
    }
    return out.toString();
  }
}
