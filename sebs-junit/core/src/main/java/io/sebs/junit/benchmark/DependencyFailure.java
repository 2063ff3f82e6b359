package io.sebs.junit.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.process.Command;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dependency pip or npm could not install, read from their error output: the requirement they name and
 * the pin of the benchmark's dependency file it comes from. That is the benchmark's to fix (a version the
 * package index does not have, a package that does not exist), so it is a {@link
 * BenchmarkConfigurationException} naming the package, the pin and the file; a failure that names no
 * package (no network, a full disk) stays the installer's own error.
 *
 * @param requirement what the installer could not install, as it wrote it ("igraph==99.0", "mustache@99.0.0")
 * @param name the package's name in it ("igraph", "mustache")
 * @param reason the installer's line that says why
 */
public record DependencyFailure(String requirement, String name, String reason) {

  // pip: "ERROR: No matching distribution found for igraph==99.0", "Could not find a version that satisfies
  // the requirement X (from versions: ...)", "Invalid requirement: 'x==='", "Failed to build x" / "Failed
  // building wheel for x", "ERROR: Cannot install a==1 and b==2 because these package versions have
  // conflicting dependencies."
  private static final List<Pattern> PIP = List.of(
      Pattern.compile("No matching distribution found for (\\S+)"),
      Pattern.compile("Could not find a version that satisfies the requirement (\\S+)"),
      Pattern.compile("Invalid requirement: '([^']+)'"),
      Pattern.compile("Failed (?:to build|building wheel for) (\\S+)"),
      Pattern.compile("Cannot install (\\S+)(?: and| because)"));
  // npm: "npm error notarget No matching version found for mustache@99.0.0.", "npm error 404  The requested
  // resource 'x@1.0.0' could not be found", "npm error 404  'x@*' is not in this registry.", an install
  // script's "npm error path <dir>/node_modules/x" (older npm writes "npm ERR!").
  private static final List<Pattern> NPM = List.of(
      Pattern.compile("No matching version found for (\\S+?)\\.?\\s*$", Pattern.MULTILINE),
      Pattern.compile("404\\s+The requested resource '([^']+)' could not be found"),
      Pattern.compile("404\\s+'([^']+)' is not in (?:this|the npm) registry"),
      Pattern.compile("(?:npm error|npm ERR!) path \\S*/node_modules/((?:@[^/\\s]+/)?[^/\\s]+)\\s*$",
          Pattern.MULTILINE));
  private static final Pattern PIP_NAME = Pattern.compile("^([A-Za-z0-9][A-Za-z0-9._-]*)");

  /** The failure named in pip's or npm's output, if it names a package. */
  public static Optional<DependencyFailure> read(Language language, String output) {
    for (Pattern pattern : language == Language.NODEJS ? NPM : PIP) {
      Matcher m = pattern.matcher(output);
      if (m.find()) {
        String requirement = m.group(1);
        String name = language == Language.NODEJS ? npmName(requirement) : pipName(requirement);
        if (!name.isEmpty()) {
          return Optional.of(new DependencyFailure(requirement, name, lineOf(output, m.start())));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Returns when the installer succeeded; throws a {@link BenchmarkConfigurationException} when its output
   * names the package it could not install, else the installer's own error ({@link Command.Result#orThrow}).
   *
   * @param installer what ran, for the message ("pip install", "npm install")
   * @param what what the run was for, as {@code orThrow} says it
   */
  public static void check(Command.Result result, Language language, CodePackage code, String installer,
      String what) {
    if (result.succeeded()) {
      return;
    }
    Optional<DependencyFailure> failure = read(language, result.stderr() + "\n" + result.stdout());
    if (failure.isEmpty()) {
      result.orThrow(what);
      return;
    }
    throw new BenchmarkConfigurationException(failure.get().message(language, code, installer));
  }

  /** The sentence a user can act on: package, pin, file, and what the installer said. */
  String message(Language language, CodePackage code, String installer) {
    String file = code.dependencySource(language);
    Optional<String> pin = code.dependencySourceText(language).flatMap(text -> pinOf(language, text));
    String where = pin.map(p -> "pinned as '" + p + "' in " + file)
        .orElse("which " + file + " does not list (sebs-junit adds it for the benchmark's modules)");
    return installer + " cannot install " + requirement + ", " + where + ": " + reason + ". "
        + (pin.isPresent()
            ? "Change the pin to a version the package index has (or remove it), then run again."
            : "Make the package index offer it, or drop the module from config.json.");
  }

  /** The line of the dependency file that names this package. */
  Optional<String> pinOf(Language language, String text) {
    if (language == Language.NODEJS) {
      try {
        JsonNode json = new ObjectMapper().readTree(text);
        for (String section : List.of("dependencies", "optionalDependencies")) {
          JsonNode version = json.path(section).path(name);
          if (version.isTextual()) {
            return Optional.of("\"" + name + "\": \"" + version.asText() + "\"");
          }
        }
      } catch (IOException e) {
        return Optional.empty();
      }
      return Optional.empty();
    }
    String wanted = normalise(name);
    return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .filter(l -> normalise(pipName(l)).equals(wanted) || l.contains(requirement))
        .findFirst();
  }

  private static String pipName(String requirement) {
    Matcher m = PIP_NAME.matcher(requirement.strip());
    return m.find() ? m.group(1) : "";
  }

  private static String npmName(String requirement) {
    String r = requirement.strip();
    int at = r.indexOf('@', r.startsWith("@") ? 1 : 0);
    return at < 0 ? r : r.substring(0, at);
  }

  /** PEP 503: names compare case-insensitively with runs of "-", "_" and "." alike. */
  private static String normalise(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }

  private static String lineOf(String text, int index) {
    int start = text.lastIndexOf('\n', index) + 1;
    int end = text.indexOf('\n', index);
    return text.substring(start, end < 0 ? text.length() : end).strip()
        .replaceFirst("^(?:ERROR: |npm error |npm ERR! )", "").replaceFirst("^(?:notarget |404\\s+)", "")
        .replaceFirst("\\.$", "");
  }
}
