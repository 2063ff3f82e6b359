package io.sebs.junit;

import io.sebs.junit.extension.SebsExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures bursts: {@code repetitions} times, {@code concurrency} invocations are released at the same
 * instant and awaited. The platform scales out as it would for real traffic, so a burst mixes cold and
 * warm invocations; each one carries its own cold flag. The test method is then called once with the
 * {@link Measurements} of all bursts.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(SebsExtension.class)
public @interface Burst {

  /** Number of bursts (at least 1). */
  int repetitions() default 1;

  /** Concurrent invocations per burst (at least 1). */
  int concurrency() default 10;

  /**
   * Name of a method in the test class that returns the payload to invoke with (a {@code JsonNode},
   * {@code Map} or anything Jackson serialises), like {@code @MethodSource}; it may take the generated
   * input as a {@code JsonNode} parameter. Empty: the benchmark's generated input.
   */
  String payload() default "";
}
