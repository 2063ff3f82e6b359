package io.sebs.junit;

import io.sebs.junit.extension.SebsExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures cold invocations: before each of the {@code repetitions} invocations the platform retires the
 * function's instances, so the next request must start a new one. Each result is checked against the
 * function's own report ({@code is_cold}); a warm answer is kept apart as misclassified, never averaged in.
 * The test method is then called once with the {@link Measurements}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(SebsExtension.class)
public @interface ColdStart {

  /** Number of measured cold invocations (at least 1). */
  int repetitions() default 10;

  /**
   * Name of a method in the test class that returns the payload to invoke with (a {@code JsonNode},
   * {@code Map} or anything Jackson serialises), like {@code @MethodSource}; it may take the generated
   * input as a {@code JsonNode} parameter. Empty: the benchmark's generated input.
   */
  String payload() default "";
}
