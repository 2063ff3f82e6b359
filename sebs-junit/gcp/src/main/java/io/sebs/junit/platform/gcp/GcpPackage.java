package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.JavaFunctionBuild;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.process.Command;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A function's source upload for Cloud Functions (2nd gen), in the layout each runtime's build expects:
 * Python {@code main.py} and {@code requirements.txt} at the root, Node.js {@code index.js} and a {@code
 * package.json} whose {@code main} is it, the benchmark's code under {@code function/} for both (Google's build
 * installs the dependencies); Java compiled here with Maven ({@link JavaFunctionBuild}) into {@value #JAR} whose
 * manifest puts the dependency jars in {@code libs/} on its class path, the layout Google documents for deploying
 * a built JAR. Zipped deterministically, so equal code gives an equal {@link #sha256()}, the label by which an
 * unchanged deployment is recognised.
 *
 * @param sha256 hex SHA-256 of the zip
 */
public record GcpPackage(byte[] zip, String sha256) {

  /** The Java function's jar in the upload. */
  static final String JAR = "function.jar";
  /** The Functions Framework API the Java wrapper implements: provided by the runtime, compiled against. */
  static final String FUNCTIONS_FRAMEWORK_API = "com.google.cloud.functions:functions-framework-api";
  static final String FUNCTIONS_FRAMEWORK_VERSION =
      new io.sebs.junit.benchmark.LibraryVersions("io/sebs/junit/platform/gcp/versions.properties")
          .of("functions-framework");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Builds (or, for Java, finds in {@code cacheDir}) the upload of {@code code}. */
  public static GcpPackage build(Path cacheDir, String functionName, CodePackage code, Language language) {
    try {
      Map<String, byte[]> files = language == Language.JAVA ? javaLayout(cacheDir, functionName, code)
          : scriptLayout(functionName, code, language);
      byte[] zip = zip(files);
      return new GcpPackage(zip, sha256(zip));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot build the Cloud Functions package of " + functionName, e);
    }
  }

  public long size() {
    return zip.length;
  }

  private static Map<String, byte[]> scriptLayout(String functionName, CodePackage code, Language language)
      throws IOException {
    Map<String, byte[]> files = new TreeMap<>(code.files());
    byte[] dependencies = files.get("function/" + language.dependencyFile());
    if (language == Language.PYTHON) {
      files.put("requirements.txt", dependencies == null ? new byte[0] : dependencies);
    } else {
      ObjectNode packageJson = JSON.createObjectNode();
      packageJson.put("name", functionName.toLowerCase(java.util.Locale.ROOT));
      packageJson.put("version", "1.0.0");
      packageJson.put("main", "index.js");
      ObjectNode deps = packageJson.putObject("dependencies");
      if (dependencies != null) {
        JSON.readTree(dependencies).path("dependencies").fields()
            .forEachRemaining(e -> deps.set(e.getKey(), e.getValue()));
      }
      files.put("package.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(packageJson));
    }
    return files;
  }

  /** Compiles once per code hash in the cache; the jar and {@code libs/}. */
  private static Map<String, byte[]> javaLayout(Path cacheDir, String functionName, CodePackage code)
      throws IOException {
    Path root = cacheDir.resolve("gcp").resolve("packages");
    Path dir = root.resolve(functionName + "-" + code.codeHash().substring(0, 16));
    Files.createDirectories(root);
    try (FileChannel channel = FileChannel.open(root.resolve(dir.getFileName() + ".lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      if (!Files.exists(dir.resolve(".sebs-ready"))) {
        Command.deleteTree(dir);
        code.writeTo(dir);
        JavaFunctionBuild.compile(dir, "for Cloud Functions");
        Files.writeString(dir.resolve(".sebs-ready"), code.codeHash());
      }
    }
    Map<String, byte[]> files = new TreeMap<>();
    List<Path> libs = List.of();
    Path dependencies = dir.resolve(JavaFunctionBuild.DEPENDENCIES);
    if (Files.isDirectory(dependencies)) {
      try (Stream<Path> jars = Files.list(dependencies)) {
        libs = jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
      }
    }
    for (Path lib : libs) {
      files.put("libs/" + lib.getFileName(), Files.readAllBytes(lib));
    }
    files.put(JAR, jar(dir.resolve(JavaFunctionBuild.CLASSES),
        libs.stream().map(l -> "libs/" + l.getFileName()).toList()));
    return files;
  }

  /** A jar of the classes folder with fixed timestamps and a manifest naming the libraries. */
  private static byte[] jar(Path classes, List<String> classPath) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (!classPath.isEmpty()) {
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out)) {
      JarEntry m = new JarEntry("META-INF/MANIFEST.MF");
      m.setTime(315532800000L);
      jar.putNextEntry(m);
      manifest.write(jar);
      jar.closeEntry();
      for (Path file : files) {
        String name = classes.relativize(file).toString().replace('\\', '/');
        if (name.equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        JarEntry entry = new JarEntry(name);
        entry.setTime(315532800000L);
        jar.putNextEntry(entry);
        Files.copy(file, jar);
        jar.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /** Entries sorted, timestamps fixed (1980-01-01, the zip format's epoch): equal files give equal bytes. */
  static byte[] zip(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
        ZipEntry entry = new ZipEntry(file.getKey());
        entry.setTime(315532800000L);
        zip.putNextEntry(entry);
        zip.write(file.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "GcpPackage[" + zip.length + " bytes, sha256 " + sha256 + "]";
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
