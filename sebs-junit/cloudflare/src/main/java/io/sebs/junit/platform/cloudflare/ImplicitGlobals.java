package io.sebs.junit.platform.cloudflare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Variables a benchmark assigns without declaring them. SeBS's Node.js code is CommonJS in sloppy mode, where
 * {@code bucket = event.bucket.bucket} (SeBS's 210.thumbnailer) creates a global; a Worker's bundle is an ES module,
 * strict throughout, where the same line throws "ReferenceError: bucket is not defined". The names assigned at the
 * start of a statement in the function's own files (not node_modules) are made properties of {@code globalThis}
 * before the function loads (those the global object already has are left alone), so the assignments set them as
 * Node.js does. A name that is in fact declared (a parameter, a local) shadows the global, which then stays unused.
 */
final class ImplicitGlobals {

  private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*([A-Za-z_$][\\w$]*)\\s*=(?![=>])");
  private static final Set<String> KEYWORDS = Set.of("var", "let", "const", "this", "return", "await", "yield",
      "typeof", "void", "delete", "new", "in", "of", "else", "case", "default", "exports", "module", "require",
      "arguments", "eval", "undefined", "globalThis");

  private ImplicitGlobals() {}

  /** The names, sorted, that the files under {@code functionDir} assign as statements of their own. */
  static List<String> assignedIn(Path functionDir) {
    Set<String> names = new TreeSet<>();
    if (!Files.isDirectory(functionDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(functionDir)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().matches(".*\\.(js|cjs)$"))
          .filter(f -> !functionDir.relativize(f).toString().contains("node_modules"))::iterator) {
        names.addAll(assignedInCode(Files.readString(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the function in " + functionDir, e);
    }
    return List.copyOf(names);
  }

  /**
   * The names one file's code assigns at the start of a line that begins a statement: a line after one ending in a
   * comma continues a declaration ({@code const fs = require('fs'),\n path = require('path');}) and is skipped.
   */
  static Set<String> assignedInCode(String code) {
    Set<String> names = new TreeSet<>();
    String previous = "";
    for (String line : code.split("\\R")) {
      String codeOnly = line.replaceFirst("\\s*//.*$", "").strip();
      if (codeOnly.isEmpty()) {
        continue;
      }
      Matcher m = ASSIGNMENT.matcher(codeOnly);
      if (m.find() && !previous.endsWith(",") && !KEYWORDS.contains(m.group(1))) {
        names.add(m.group(1));
      }
      previous = codeOnly;
    }
    return names;
  }
}
