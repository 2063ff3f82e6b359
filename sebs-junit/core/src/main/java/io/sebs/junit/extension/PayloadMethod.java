package io.sebs.junit.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Finds and calls the method a measurement annotation names in {@code payload}, like JUnit's
 * {@code @MethodSource}: static or instance, no parameter or the generated input as a {@code JsonNode}.
 */
final class PayloadMethod {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PayloadMethod() {}

  static JsonNode call(ExtensionContext context, MeasurementRequest request, JsonNode generatedInput) {
    Class<?> testClass = context.getRequiredTestClass();
    String name = request.payloadMethod();
    List<Method> candidates = ReflectionSupport.findMethods(testClass,
        m -> m.getName().equals(name) && (m.getParameterCount() == 0
            || (m.getParameterCount() == 1 && m.getParameterTypes()[0].isAssignableFrom(JsonNode.class))),
        HierarchyTraversalMode.TOP_DOWN);
    if (candidates.isEmpty()) {
      throw new ExtensionConfigurationException("@" + request.annotationName() + "(payload = \"" + name + "\") on "
          + SebsExtension.where(context.getRequiredTestMethod()) + ": " + testClass.getSimpleName()
          + " has no method " + name + "() or " + name + "(JsonNode input) returning the payload");
    }
    Method method = candidates.get(candidates.size() - 1);
    Object target = Modifier.isStatic(method.getModifiers()) ? null : context.getRequiredTestInstance();
    Object[] args = method.getParameterCount() == 0 ? new Object[0] : new Object[] {generatedInput.deepCopy()};
    Object payload = ReflectionSupport.invokeMethod(method, target, args);
    if (payload == null) {
      throw new ExtensionConfigurationException(testClass.getSimpleName() + "." + name + "(" 
          + Arrays.toString(method.getParameterTypes()).replaceAll("[\\[\\]]", "") + ") returned null: return the payload");
    }
    return payload instanceof JsonNode node ? node : JSON.valueToTree(payload);
  }
}
