package io.sebs.junit.platform;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@link PlatformProvider} may read of this machine to tell whether its platform can run here
 * ({@link PlatformProvider#unavailable}): environment variables and files under the user's home folder.
 * Tests pass their own, so the answer does not depend on the machine they run on.
 *
 * @param variables environment variable by name ({@code null} when unset), as {@link System#getenv(String)}
 * @param home the user's home folder, as {@code user.home}
 */
public record HostEnvironment(Function<String, String> variables, Path home) {

  /** This process's environment variables and {@code user.home}. */
  public static HostEnvironment current() {
    return new HostEnvironment(System::getenv, Path.of(System.getProperty("user.home")));
  }

  /** The variable's value; empty when unset or blank. */
  public Optional<String> variable(String name) {
    return Optional.ofNullable(variables.apply(name)).filter(v -> !v.isBlank());
  }

  /** Whether any of the variables is set (not blank). */
  public boolean anyVariable(String... names) {
    return Arrays.stream(names).anyMatch(n -> variable(n).isPresent());
  }

  /** A file or folder under the home folder, e.g. {@code inHome(".aws/credentials")}. */
  public Path inHome(String relative) {
    return home.resolve(relative);
  }
}
