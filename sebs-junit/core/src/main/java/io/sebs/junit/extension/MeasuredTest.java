package io.sebs.junit.extension;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.Measurements;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.MeasureStep;
import io.sebs.junit.run.PreparedFunction;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Measures one annotated test before its method (and its budgets) runs: the engine's {@link MeasureStep}
 * does the work; this shows the figures, on the console and as JUnit report entries (Surefire XML, the
 * IDE).
 */
final class MeasuredTest {

  private MeasuredTest() {}

  static Measurements measure(BenchmarkRun run, PreparedFunction prepared, MeasurementRequest request,
      ExtensionContext context) {
    JsonNode payload = request.payloadMethod().isEmpty() ? prepared.invoker().input()
        : PayloadMethod.call(context, request, prepared.invoker().input());
    String name = SebsExtension.testName(context);
    MeasureStep.Measured measured = new MeasureStep(run).measure(prepared, request.plan(), payload, name,
        context.getUniqueId(), SebsExtension.config(context).progress());
    System.out.println("[sebs] " + name + " on " + run.platform().name() + ": " + measured.summary());
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("sebs.series", measured.summary());
    entries.put("sebs.results", measured.written().json().toString());
    context.publishReportEntry(entries);
    return measured.series();
  }
}
