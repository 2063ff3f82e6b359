package io.sebs.junit;

import io.sebs.junit.extension.SebsExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stops a {@link Warm} or {@link ColdStart} series as soon as the median client time is known precisely
 * enough: when the half-width of its distribution-free confidence interval (Le Boudec) is within
 * {@code relativeError} of the median. The annotation's {@code repetitions} becomes the maximum. The
 * results say why the series stopped ({@code settings.stop_reason}, {@link Measurements#stopReason()}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(SebsExtension.class)
public @interface AdaptiveRepetitions {

  /** Target half-width of the median's confidence interval relative to the median, e.g. 0.05 for ±5%. */
  double relativeError() default 0.05;

  /** Confidence level of the interval. */
  double confidence() default 0.95;

  /** Invocations measured before the rule is first checked (at least the interval's minimum). */
  int minimum() default 10;
}
