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
 *
 * <p>{@code maxCostUsd} caps what the series may spend: each invocation, warm-ups included, adds its
 * estimated cost under the configured provider's prices ({@code sebs.cost.provider}, default aws;
 * {@code sebs.cost.architecture}, default x86_64) for the function's memory, and the series stops once the
 * total reaches the cap. On the local platform nothing is paid: the cap then bounds what the same series
 * would cost on that provider.
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

  /**
   * Largest estimated spend of the series in USD (e.g. {@code 0.05}); the series stops once it is reached.
   * Unlimited by default.
   */
  double maxCostUsd() default Double.POSITIVE_INFINITY;
}
