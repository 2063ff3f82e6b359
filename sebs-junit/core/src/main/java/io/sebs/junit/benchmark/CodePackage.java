package io.sebs.junit.benchmark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The files of one function package: the platform's wrapper at the root and the benchmark's code under
 * {@code function/}, as SeBS lays them out. Its {@link #codeHash()} covers every path and byte, so a
 * package whose hash is unchanged need not be rebuilt.
 */
public final class CodePackage {

  private final Map<String, byte[]> files;
  private final String codeHash;
  /** The benchmark's language folder the code came from; null for a package built otherwise. */
  private final Path codeDirectory;
  /** The file of that folder whose pins {@code function/<dependency file>} holds (see {@link #forRuntime}). */
  private final String dependencySource;

  private CodePackage(Map<String, byte[]> files, Path codeDirectory, String dependencySource) {
    this.files = new TreeMap<>();
    files.forEach((path, content) -> this.files.put(path, content.clone()));
    this.codeHash = hash(files);
    this.codeDirectory = codeDirectory;
    this.dependencySource = dependencySource;
  }

  /** Wrapper files at the root, the benchmark's language folder under {@code function/}. */
  public static CodePackage assemble(Map<String, byte[]> wrapperFiles, Path codeDirectory) {
    Map<String, byte[]> files = new TreeMap<>(wrapperFiles);
    try (Stream<Path> walk = Files.walk(codeDirectory)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        String relative = codeDirectory.relativize(file).toString().replace('\\', '/');
        if (relative.startsWith("node_modules/") || relative.contains("__pycache__")) {
          continue;
        }
        files.put("function/" + relative, Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read function code in " + codeDirectory, e);
    }
    return new CodePackage(files, codeDirectory, null);
  }

  /**
   * This package with the dependency file SeBS would install for the runtime in the place of the plain
   * one: SeBS keeps per-interpreter pins beside {@code requirements.txt} ({@code requirements.txt.<python
   * version>}, and {@code requirements.txt.arm.<version>} for arm64) and {@code package.json.<node
   * version>} beside {@code package.json}, and installs the most specific one that exists instead of the
   * plain file (see {@link DependencyFiles}). Copying it over the plain file lets every installer read one
   * file, and added dependencies (the storage modules') go into the file that is installed, as in SeBS.
   * The same package when the plain file applies.
   *
   * @param version the runtime's version as SeBS writes it ("3.11", "20")
   * @param architecture "x86_64" or "arm64"
   */
  public CodePackage forRuntime(Language language, String version, String architecture) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    files.keySet().stream().filter(f -> f.startsWith("function/") && f.indexOf('/', "function/".length()) < 0)
        .forEach(f -> names.add(f.substring("function/".length())));
    String chosen = DependencyFiles.choose(language, names, version, architecture);
    if (chosen.equals(language.dependencyFile())) {
      return this;
    }
    Map<String, byte[]> copy = new TreeMap<>(files);
    copy.put("function/" + language.dependencyFile(), files.get("function/" + chosen));
    return new CodePackage(copy, codeDirectory, chosen);
  }

  /**
   * The benchmark's file the package's dependency file came from, for messages: {@code
   * <benchmark>/<language>/requirements.txt.3.11} when {@link #forRuntime} chose a per-version file,
   * else the plain file (a path inside the package when the code did not come from a folder).
   */
  public String dependencySource(Language language) {
    String name = dependencySource != null ? dependencySource : language.dependencyFile();
    return codeDirectory != null ? codeDirectory.resolve(name).toString() : "function/" + name;
  }

  /** The content of that file as the benchmark wrote it (without added dependencies), if it exists. */
  public java.util.Optional<String> dependencySourceText(Language language) {
    String name = dependencySource != null ? dependencySource : language.dependencyFile();
    try {
      if (codeDirectory != null && Files.isRegularFile(codeDirectory.resolve(name))) {
        return java.util.Optional.of(Files.readString(codeDirectory.resolve(name)));
      }
    } catch (IOException e) {
      // fall back to the packaged copy
    }
    return file("function/" + name).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /**
   * This package with more dependencies in the function's dependency file (requirements.txt lines,
   * package.json {@code dependencies}, or pom.xml {@code <dependency>} elements for keys
   * "groupId:artifactId" with the value as version); the same package when there are none to add. A
   * dependency the file already declares is kept as it is (for Python, lines are appended regardless).
   */
  public CodePackage withDependencies(Language language, Map<String, String> dependencies) {
    if (dependencies.isEmpty()) {
      return this;
    }
    String path = "function/" + language.dependencyFile();
    Map<String, byte[]> copy = new TreeMap<>(files);
    byte[] current = files.get(path);
    try {
      switch (language) {
        case PYTHON -> {
          StringBuilder text = new StringBuilder(current == null ? "" : new String(current, StandardCharsets.UTF_8));
          if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
            text.append('\n');
          }
          dependencies.forEach((name, version) -> text.append(name).append(version).append('\n'));
          copy.put(path, text.toString().getBytes(StandardCharsets.UTF_8));
        }
        case NODEJS -> {
          var json = new com.fasterxml.jackson.databind.ObjectMapper();
          var root = current == null ? json.createObjectNode()
              : (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(current);
          if (!root.has("name")) {
            root.put("name", "sebs-function");
          }
          var deps = root.with("dependencies");
          dependencies.forEach((name, version) -> {
            if (!deps.has(name)) {
              deps.put(name, version.isEmpty() ? "*" : version);
            }
          });
          copy.put(path, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        }
        case JAVA -> {
          if (current == null) {
            return this; // not a Maven project: the build says what a Java function is
          }
          copy.put(path, withMavenDependencies(current, dependencies, ""));
        }
        default -> throw new IllegalArgumentException("No dependency file format for " + language);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path + " of the function package", e);
    }
    return new CodePackage(copy, codeDirectory, dependencySource);
  }

  /**
   * This Java package with {@code provided}-scope dependencies in its pom.xml ("groupId:artifactId" to
   * version): libraries the platform's runtime supplies (such as Lambda's aws-lambda-java-core), compiled
   * against but not copied with the runtime dependencies. A dependency the pom already declares is kept as
   * it is; a package without a pom.xml is returned unchanged (the build says what a Java function is).
   */
  public CodePackage withProvidedJavaDependencies(Map<String, String> dependencies) {
    String path = "function/" + Language.JAVA.dependencyFile();
    byte[] current = files.get(path);
    if (dependencies.isEmpty() || current == null) {
      return this;
    }
    Map<String, byte[]> copy = new TreeMap<>(files);
    try {
      copy.put(path, withMavenDependencies(current, dependencies, "provided"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path + " of the function package", e);
    }
    return new CodePackage(copy, codeDirectory, dependencySource);
  }

  /**
   * The pom with a {@code <dependency>} (of {@code scope} unless empty) (in the project's {@code <dependencies>}, created if missing) for
   * every "groupId:artifactId" it does not declare yet, written back with the JDK's DOM and transformer.
   */
  static byte[] withMavenDependencies(byte[] pom, Map<String, String> dependencies, String scope)
      throws IOException {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(pom));
      Element project = doc.getDocumentElement();
      String ns = project.getNamespaceURI();
      Element deps = child(project, "dependencies");
      if (deps == null) {
        deps = doc.createElementNS(ns, "dependencies");
        project.appendChild(deps);
      }
      java.util.Set<String> declared = new java.util.HashSet<>();
      for (Node n = deps.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element dep && "dependency".equals(dep.getLocalName())) {
          declared.add(text(child(dep, "groupId")) + ":" + text(child(dep, "artifactId")));
        }
      }
      for (Map.Entry<String, String> e : dependencies.entrySet()) {
        String[] coordinates = e.getKey().split(":");
        if (coordinates.length != 2 || coordinates[0].isBlank() || coordinates[1].isBlank()) {
          throw new IllegalArgumentException("A Java dependency is \"groupId:artifactId\", not '" + e.getKey() + "'");
        }
        if (!declared.add(e.getKey())) {
          continue;
        }
        Element dep = doc.createElementNS(ns, "dependency");
        dep.appendChild(doc.createComment(" added by sebs-junit "));
        append(doc, dep, "groupId", coordinates[0]);
        append(doc, dep, "artifactId", coordinates[1]);
        if (!e.getValue().isEmpty()) {
          append(doc, dep, "version", e.getValue());
        }
        if (!scope.isEmpty()) {
          append(doc, dep, "scope", scope);
        }
        deps.appendChild(dep);
      }
      Transformer transformer = TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      transformer.transform(new DOMSource(doc), new StreamResult(out));
      return out.toByteArray();
    } catch (ParserConfigurationException | SAXException | TransformerException e) {
      throw new IOException("pom.xml is not well-formed XML: " + e.getMessage(), e);
    }
  }

  private static Element child(Element parent, String localName) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element element && localName.equals(element.getLocalName())) {
        return element;
      }
    }
    return null;
  }

  private static String text(Element element) {
    return element == null ? "" : element.getTextContent().strip();
  }

  private static void append(Document doc, Element parent, String localName, String value) {
    Element element = doc.createElementNS(parent.getNamespaceURI(), localName);
    element.setTextContent(value);
    parent.appendChild(element);
  }

  /** Relative path to content, sorted by path. */
  public Map<String, byte[]> files() {
    return java.util.Collections.unmodifiableMap(files);
  }

  /** SHA-256 over paths and contents, hex. */
  public String codeHash() {
    return codeHash;
  }

  /** The content of a file of the package, if it has it. */
  public java.util.Optional<byte[]> file(String relativePath) {
    return java.util.Optional.ofNullable(files.get(relativePath));
  }

  /** Writes the package into a directory (created if needed). */
  public void writeTo(Path directory) {
    try {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        Path target = directory.resolve(e.getKey());
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".sebs", ".tmp");
        Files.write(tmp, e.getValue());
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write function package to " + directory, e);
    }
  }

  private static String hash(Map<String, byte[]> files) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        digest.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(Long.toString(e.getValue().length).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(e.getValue());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
