package io.sebs.junit.extension;

import io.sebs.junit.experiment.Experiment;
import io.sebs.junit.run.ExperimentScope;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/** Builds an {@link Experiment} parameter through its {@code public static create(ExperimentScope)}. */
final class ExperimentFactory {

  private ExperimentFactory() {}

  static Object create(Class<?> type, ExperimentScope scope) {
    Method factory;
    try {
      factory = type.getMethod("create", ExperimentScope.class);
    } catch (NoSuchMethodException e) {
      throw new ParameterResolutionException(type.getName() + " is an Experiment but has no "
          + "'public static " + type.getSimpleName() + " create(ExperimentScope)' factory: add one, "
          + "or take the concrete experiment type as the parameter", e);
    }
    if (!Modifier.isStatic(factory.getModifiers()) || !type.isAssignableFrom(factory.getReturnType())) {
      throw new ParameterResolutionException(type.getName() + ".create(ExperimentScope) must be static and return "
          + type.getSimpleName());
    }
    try {
      return factory.invoke(null, scope);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new ParameterResolutionException("Cannot create " + type.getSimpleName() + ": " + cause, cause);
    } catch (IllegalAccessException e) {
      throw new ParameterResolutionException(type.getName() + ".create(ExperimentScope) is not accessible: "
          + "make the type and the method public", e);
    }
  }
}
