package io.sebs.junit.report;

import io.qameta.allure.Allure;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * Feeds the Allure test case that allure-jupiter keeps for the running test: parameters, timed steps,
 * attachments, a per-platform history id. Does nothing when Allure is not listening (no allure-jupiter
 * on the classpath), so the engine never depends on a report being produced.
 */
public final class AllureReport {

  private static final boolean ALLURE_JUNIT_PRESENT =
      isPresent("io.qameta.allure.junitplatform.AllureJunitPlatform");

  private AllureReport() {}

  /** Whether a test case is being recorded on this thread. */
  public static boolean active() {
    return ALLURE_JUNIT_PRESENT && Allure.getLifecycle().getCurrentTestCase().isPresent();
  }

  /** Adds parameters (a name already there keeps its value), and a history id keyed by the platform. */
  public static void parameters(Map<String, String> parameters, String platform) {
    if (!active()) {
      return;
    }
    Allure.getLifecycle().updateTestCase(tc -> {
      parameters.forEach((k, v) -> {
        if (tc.getParameters().stream().noneMatch(p -> k.equals(p.getName()))) {
          tc.getParameters().add(new Parameter().setName(k).setValue(v));
        }
      });
      tc.setHistoryId(historyId(tc.getTestCaseId() != null ? tc.getTestCaseId() : tc.getFullName(), platform));
    });
  }

  /**
   * Marks the current test as run on {@code platform}: the "platform" parameter and a history id keyed by
   * the platform, for every test of a class that runs once per platform (not only measured ones).
   */
  public static void platform(String platform) {
    parameters(Map.of("platform", platform), platform);
  }

  /**
   * The history id of a test on a platform: its id without the per-platform invocation's index (JUnit
   * numbers the invocations, so the index would tie the history to the order of {@code sebs.platform}'s
   * list, and {@code local,docker} would share docker's history with a run of {@code docker} alone) and
   * with the platform's name instead.
   */
  static String historyId(String testId, String platform) {
    return md5(testId.replaceAll("/\\[class-template-invocation:#\\d+]", "") + "|platform=" + platform);
  }

  /** Records a step that already happened, with its real start and duration. */
  public static void step(String name, Instant start, Duration duration, boolean passed) {
    if (!active()) {
      return;
    }
    StepResult step = new StepResult()
        .setName(name)
        .setStart(start.toEpochMilli())
        .setStop(start.plus(duration).toEpochMilli())
        .setStatus(passed ? Status.PASSED : Status.FAILED);
    Allure.getLifecycle().updateTestCase(tc -> tc.getSteps().add(step));
  }

  /** Attaches text (JSON, CSV) to the current test. */
  public static void attach(String name, String mimeType, String extension, String content) {
    if (!active()) {
      return;
    }
    Allure.addAttachment(name, mimeType, content, extension);
  }

  /** Attaches a file (results JSON, CSV), read only when Allure is listening: a long series' JSON is large. */
  public static void attach(String name, String mimeType, String extension, java.nio.file.Path file) {
    if (!active()) {
      return;
    }
    try (java.io.InputStream content = java.nio.file.Files.newInputStream(file)) {
      Allure.addAttachment(name, mimeType, content, extension);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot attach " + file, e);
    }
  }

  /** Attaches binary content (a chart) to the current test. */
  public static void attach(String name, String mimeType, String extension, byte[] content) {
    if (!active()) {
      return;
    }
    Allure.addAttachment(name, mimeType, new java.io.ByteArrayInputStream(content), extension);
  }

  /**
   * Writes environment.properties into the Allure results folder, merged with what is there, when Allure is
   * in use. The folder is the one Allure writes to: {@code allure.results.directory} from allure.properties on
   * the classpath (the core jar's says target/allure-results) or the system property, which wins.
   */
  public static void writeEnvironment(Map<String, String> environment) {
    if (!ALLURE_JUNIT_PRESENT) {
      return;
    }
    Path dir = Path.of(io.qameta.allure.util.PropertiesUtils.loadAllureProperties()
        .getProperty("allure.results.directory", "allure-results"));
    Path file = dir.resolve("environment.properties");
    try {
      Files.createDirectories(dir);
      Properties properties = new Properties();
      if (Files.exists(file)) {
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          properties.load(in);
        }
      }
      properties.putAll(environment);
      try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        properties.store(out, "sebs-junit run environment");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private static String md5(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, AllureReport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
