package io.sebs.junit.platform.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.DependencyFailure;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.process.Command;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A function's deployment package for Lambda: the wrapper and the benchmark's code with its dependencies
 * installed for the Lambda runtime (pip with the target's manylinux wheels and Python version, npm for the
 * target CPU; for Java, the Maven build laid out as {@link LambdaJavaRuntime#layout} does), zipped
 * deterministically so equal code gives an equal {@link #sha256()}, which is how an
 * unchanged deployment is recognised. Built once per code hash and architecture in the cache.
 *
 * @param sha256 base64 SHA-256 of the zip, as Lambda reports a function's CodeSha256
 */
public record LambdaPackage(Path zip, String sha256, long size) {

  /** Lambda's limit for a zip uploaded directly with CreateFunction/UpdateFunctionCode. */
  public static final long DIRECT_UPLOAD_LIMIT = 50L * 1024 * 1024;

  /** Builds (or finds in {@code cacheDir}) the package of {@code code}. */
  public static LambdaPackage build(Path cacheDir, String functionName, CodePackage code, Language language,
      String runtime, AwsSettings settings) {
    Path root = cacheDir.resolve("aws").resolve("packages");
    String stem = functionName + "-" + code.codeHash().substring(0, 16) + "-" + settings.architecture();
    Path dir = root.resolve(stem);
    Path zip = root.resolve(stem + ".zip");
    try {
      Files.createDirectories(root);
      try (FileChannel channel = FileChannel.open(root.resolve(stem + ".lock"), StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!Files.exists(zip)) {
          Command.deleteTree(dir);
          code.writeTo(dir);
          Path content = dir;
          if (language == Language.JAVA) {
            content = LambdaJavaRuntime.layout(dir); // classes at the root, dependency jars under lib/
          } else {
            installDependencies(dir, code, language, runtime, settings);
          }
          Path partial = root.resolve(stem + ".zip.partial");
          Files.write(partial, zipTree(content));
          Files.move(partial, zip);
        }
      }
      byte[] bytes = Files.readAllBytes(zip);
      return new LambdaPackage(zip, sha256(bytes), bytes.length);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot build the Lambda package " + zip, e);
    }
  }

  public byte[] bytes() {
    try {
      return Files.readAllBytes(zip);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + zip, e);
    }
  }

  private static void installDependencies(Path dir, CodePackage code, Language language, String runtime,
      AwsSettings settings) throws IOException {
    Path deps = dir.resolve("function").resolve(language.dependencyFile());
    if (!Files.isRegularFile(deps)) {
      return;
    }
    switch (language) {
      case PYTHON -> {
        boolean any = Files.readAllLines(deps).stream().map(String::strip)
            .anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
        if (any) {
          // wheels for the runtime's platform and Python version, beside handler.py (on Lambda's sys.path)
          Command.Result pip = Command.of("python3", "-m", "pip", "install", "--quiet",
                  "--disable-pip-version-check", "--no-input",
                  "--target", dir.toString(), "--platform", settings.pipPlatform(), "--implementation", "cp",
                  "--python-version", runtime.substring("python".length()), "--only-binary=:all:",
                  "-r", deps.toString())
              .timeout(Duration.ofMinutes(15)).run();
          DependencyFailure.check(pip, language, code, "pip install for " + runtime + " (" + settings.pipPlatform()
              + ")", "pip install for " + runtime + " (" + settings.pipPlatform() + ") -r " + deps
              + "; every dependency needs a wheel for that platform");
        }
      }
      case NODEJS -> {
        if (new ObjectMapper().readTree(deps.toFile()).path("dependencies").isEmpty()) {
          return;
        }
        if (Command.onPath("npm").isEmpty()) {
          throw new IllegalStateException("npm is not on PATH, needed to install " + deps + ". "
              + Command.installHint("npm"));
        }
        Command.Result npm = Command.of("npm", "install", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error",
                "--os=linux", "--cpu=" + settings.npmCpu())
            .in(deps.getParent()).timeout(Duration.ofMinutes(15)).run();
        DependencyFailure.check(npm, language, code, "npm install for linux/" + settings.npmCpu(),
            "npm install for linux/" + settings.npmCpu() + " in " + deps.getParent());
      }
      default -> throw new IllegalStateException("No Lambda packaging for " + language);
    }
  }

  /** A zip of the folder with entries sorted and timestamps fixed, so equal files give equal bytes. */
  static byte[] zipTree(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Path file : files) {
        ZipEntry entry = new ZipEntry(dir.relativize(file).toString().replace('\\', '/'));
        entry.setTime(315532800000L); // 1980-01-01, the zip format's epoch
        zip.putNextEntry(entry);
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
