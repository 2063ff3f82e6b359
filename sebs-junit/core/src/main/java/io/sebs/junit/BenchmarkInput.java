package io.sebs.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects the benchmark's generated input payload (the dict SeBS's {@code generate_input} returns for the
 * configured size). The parameter may be a Jackson {@code JsonNode}/{@code ObjectNode} or a
 * {@code Map<String, Object>}; each test receives its own copy.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BenchmarkInput {}
