package io.sebs.junit;

import io.sebs.junit.extension.SebsExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures warm invocations: {@code warmup} invocations are made and discarded (they start and warm an
 * instance), then {@code repetitions} sequential invocations are measured. A measured invocation that
 * reports a cold start is kept apart as misclassified. The test method is then called once with the
 * {@link Measurements}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(SebsExtension.class)
public @interface Warm {

  /** Number of measured invocations (at least 1). */
  int repetitions() default 10;

  /** Number of discarded warm-up invocations before measuring (at least 0). */
  int warmup() default 1;

  /**
   * Name of a method in the test class that returns the payload to invoke with (a {@code JsonNode},
   * {@code Map} or anything Jackson serialises), like {@code @MethodSource}; it may take the generated
   * input as a {@code JsonNode} parameter. Empty: the benchmark's generated input.
   */
  String payload() default "";
}
