package io.sebs.junit;

import io.sebs.junit.extension.SebsExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class (or a single test method) as a serverless benchmark: before the tests run, the
 * benchmark's function is packaged and deployed to the target platform (configuration parameter
 * {@code sebs.platform}, default {@code local}) and its input is generated.
 *
 * <p>A method-level annotation overrides the class-level one for that method. Deployments are shared by
 * every test that asks for the same benchmark, language, size, memory and timeout, across test classes.
 *
 * <p>On a class, it makes the class a JUnit {@link ClassTemplate}: the class runs once per platform of
 * {@code sebs.platform} ({@code -Dsebs.platform=local,docker} runs every test on both, display names
 * {@code [local]} and {@code [docker]}, results per platform and a comparison of them). With one platform
 * there is one invocation. A method-only annotation runs on a single platform and fails, saying so, when
 * several are configured.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ClassTemplate
@ExtendWith(SebsExtension.class)
public @interface ServerlessBenchmark {

  /** Benchmark id as in SeBS, e.g. {@code "110.dynamic-html"}; the folder under the benchmarks directory. */
  String value();

  /** Function language: {@code python} or {@code nodejs}. */
  String language() default "python";

  /** Language version; empty means the platform's default (on {@code local}: the interpreter on PATH). */
  String languageVersion() default "";

  /** Input size, with SeBS's meaning: {@code test}, {@code small} or {@code large}. */
  String size() default "test";

  /** Memory in MB; 0 takes the benchmark's config.json. */
  int memory() default 0;

  /** Function timeout in seconds; 0 takes the benchmark's config.json. */
  int timeout() default 0;
}
