package io.sebs.junit.experiment.overhead;

import io.sebs.junit.report.Charts;
import io.sebs.junit.report.Charts.Series;
import io.sebs.junit.report.Charts.XScale;
import io.sebs.junit.run.ExperimentScope;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * The charts of an invocation-overhead run, next to its result files and in Allure:
 * {@code invocation-overhead.curve.png}, payload size (log x) against the median corrected invocation time
 * (with the median client time of the whole invocation for scale), and {@code invocation-overhead.offsets.png},
 * each invocation's clock-offset estimate, ours (least delay) against SeBS's mean, with the injected truth
 * where the platform knows it.
 */
final class OverheadCharts {

  private OverheadCharts() {}

  static void write(ExperimentScope scope, InvocationOverheadResult result, Charts charts) {
    if (result.samples().isEmpty()) {
      return; // every invocation failed: nothing to draw, the failures are in the result files
    }
    String title = scope.testName() + ": ";
    scope.writeChart("invocation-overhead.curve.png", "payload size vs invocation time",
        () -> charts.xyLine(title + "invocation overhead by payload size", "payload size (bytes)", "time (ms)",
            curve(result), XScale.LOG));
    scope.writeChart("invocation-overhead.offsets.png", "clock offset estimates",
        () -> charts.xyLine(title + "clock offset estimate per invocation", "invocation (in order)",
            "function clock ahead of the client's (ms)", offsets(result), XScale.LINEAR));
  }

  private static List<Series> curve(InvocationOverheadResult result) {
    List<InvocationOverheadResult.CurvePoint> points = result.curve();
    double[] x = result.payloadSizes();
    double[] invocation = points.stream().mapToDouble(p -> p.median() / 1000).toArray();
    double[] client = points.stream().mapToDouble(p -> medianClientMillis(result, p.payloadSize())).toArray();
    return List.of(new Series("median invocation time (send to function begin)", x, invocation),
        new Series("median client time (whole invocation)", x, client));
  }

  private static double medianClientMillis(InvocationOverheadResult result, int size) {
    double[] values = result.samples().stream().filter(s -> s.payloadSize() == size)
        .mapToDouble(s -> s.clientMicros() / 1000.0).toArray();
    return new Median().evaluate(values);
  }

  private static List<Series> offsets(InvocationOverheadResult result) {
    List<OverheadSample> samples = result.samples();
    int n = samples.size();
    double[] x = new double[n];
    double[] ours = new double[n];
    double[] sebs = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
      ours[i] = samples.get(i).offset().functionAheadMicros() / 1000;
      sebs[i] = samples.get(i).offset().sebsMeanFunctionAheadMicros() / 1000;
    }
    List<Series> series = new ArrayList<>(List.of(new Series("least-delay estimate (ours)", x, ours),
        new Series("mean estimate (SeBS)", x, sebs)));
    result.injectedFunctionAheadMicros().ifPresent(truth -> series.add(
        new Series("injected offset (truth)", new double[] {1, Math.max(n, 2)}, new double[] {truth / 1000, truth / 1000})));
    return series;
  }
}
