package io.sebs.junit;

import io.sebs.junit.extension.SebsExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Restricts a test class or method to some platforms. On any other target platform (configuration
 * parameter {@code sebs.platform}) it is skipped, and the skip reason names both.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(SebsExtension.class)
public @interface Platform {

  /** Platform names, e.g. {@code {"aws", "gcp"}}. */
  String[] value();
}
