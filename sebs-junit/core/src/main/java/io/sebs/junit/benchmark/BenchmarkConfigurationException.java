package io.sebs.junit.benchmark;

/**
 * A benchmark's own files are wrong, so the fix is in the benchmark, not in the framework or the run: a
 * dependency pip or npm cannot install (a pin the package index cannot satisfy), or a {@code validate_output}
 * SeBS could not call. It is an {@link IllegalArgumentException} because the JUnit glue reports those as
 * configuration errors ({@code ExtensionConfigurationException}), with this message.
 */
public class BenchmarkConfigurationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public BenchmarkConfigurationException(String message) {
    super(message);
  }
}
