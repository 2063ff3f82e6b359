package io.sebs.junit.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * PNG charts of measured latencies and curves, for Allure attachments and the run's results folder.
 * Rendered with JFreeChart in a headless AWT (no display needed, CI-safe): unless the JVM was started
 * with an explicit {@code java.awt.headless}, loading this class sets it to {@code true}.
 *
 * <p>Five charts, each returning the PNG bytes:
 * <ul>
 *   <li>{@link #latencyCdf}: empirical CDFs of one or more named samples (x = latency in ms, y = fraction
 *       of invocations at or below it), the whole distribution at a glance, tails included;</li>
 *   <li>{@link #histogram}: one sample, bins chosen by {@link #histogramBins(double[])}
 *       (Freedman–Diaconis);</li>
 *   <li>{@link #comparison}: two or more named samples (e.g. cold vs warm) as overlaid CDFs with their
 *       medians marked;</li>
 *   <li>{@link #xyLine}: named (x, y) curves with axis labels, optionally on a log x or y axis (memory
 *       sweeps, payload-size overhead, eviction and message-size curves);</li>
 *   <li>{@link #xyIntervals}: the same with an error bar per point (medians with their confidence
 *       intervals).</li>
 * </ul>
 *
 * <p>Input rules, the same for every chart. A sample or series must be non-empty, else
 * {@link IllegalArgumentException} naming it. Latency values must be finite: NaN or an infinity is
 * rejected with the sample's name and index (chart successful invocations only). Negative latencies are
 * kept and plotted as they are (the axis extends below zero): a negative time is a clock-drift finding
 * and hiding it would hide the problem. A log axis needs positive values, so a non-positive value there is
 * rejected, naming it and suggesting {@link XScale#LINEAR}. In {@link #xyLine}, a NaN y is a gap in the
 * line (a point without data, e.g. a memory size whose invocations all failed); x must be finite.
 *
 * <p>Instances are immutable and thread-safe; {@link #DEFAULT} renders 800 × 500 pixels.
 */
public final class Charts {

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** 800 × 500 pixels, readable in Allure's attachment pane. */
  public static final Charts DEFAULT = new Charts(800, 500);

  /** Upper bound on histogram bins, so a long-tailed sample still gives readable bars. */
  public static final int MAX_BINS = 100;

  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
  };

  private final int width;
  private final int height;

  /** Charts of {@code width} × {@code height} pixels (each between 100 and 8000). */
  public Charts(int width, int height) {
    if (width < 100 || width > 8000 || height < 100 || height > 8000) {
      throw new IllegalArgumentException(
          "Chart size must be between 100 and 8000 pixels each way, was " + width + " x " + height);
    }
    this.width = width;
    this.height = height;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** How an axis is scaled: x everywhere, and y in {@link #xyLine(String, String, String, List, XScale, XScale)}. */
  public enum XScale {
    LINEAR,
    /** Base-10 logarithmic; every value on that axis must be positive. */
    LOG
  }

  /**
   * A named curve for {@link #xyLine}: points {@code (x[i], y[i])}, joined in increasing x. A NaN y leaves
   * a gap.
   */
  public record Series(String name, double[] x, double[] y) {
    public Series {
      requireName(name, "series");
      if (x == null || y == null) {
        throw new IllegalArgumentException("Series '" + name + "' needs both x and y arrays");
      }
      if (x.length != y.length) {
        throw new IllegalArgumentException("Series '" + name + "' has " + x.length + " x values but "
            + y.length + " y values: give one y per x");
      }
      if (x.length == 0) {
        throw new IllegalArgumentException("Series '" + name + "' has no points: give at least one (x, y)");
      }
      for (int i = 0; i < x.length; i++) {
        if (!Double.isFinite(x[i])) {
          throw new IllegalArgumentException("Series '" + name + "' has x = " + x[i] + " at index " + i
              + ": x values must be finite numbers");
        }
        if (Double.isInfinite(y[i])) {
          throw new IllegalArgumentException("Series '" + name + "' has y = " + y[i] + " at index " + i
              + ": y values must be finite (NaN marks a gap)");
        }
      }
      x = x.clone();
      y = y.clone();
    }

    @Override
    public double[] x() {
      return x.clone();
    }

    @Override
    public double[] y() {
      return y.clone();
    }
  }

  /**
   * Empirical CDFs on one chart, linear x axis. See {@link #latencyCdf(String, Map, XScale)}.
   */
  public byte[] latencyCdf(String title, Map<String, double[]> samplesMs) {
    return latencyCdf(title, samplesMs, XScale.LINEAR);
  }

  /**
   * Empirical CDFs of named latency samples on one chart: for each sample a right-continuous step function
   * F(x) = (number of values ≤ x) / n, x in milliseconds. A log x axis suits samples an order of magnitude
   * apart (cold and warm on one chart).
   *
   * @param samplesMs legend name to sample in milliseconds, drawn in the map's iteration order
   */
  public byte[] latencyCdf(String title, Map<String, double[]> samplesMs, XScale xScale) {
    requireSamples(samplesMs, 1);
    return png(style(cdfChart(title, samplesMs, xScale)));
  }

  private static JFreeChart cdfChart(String title, Map<String, double[]> samplesMs, XScale xScale) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    for (Map.Entry<String, double[]> e : samplesMs.entrySet()) {
      double[] sorted = checkedSample(e.getKey(), e.getValue(), xScale == XScale.LOG);
      Arrays.sort(sorted);
      XYSeries series = new XYSeries(legend(e.getKey(), sorted.length), false, true);
      int n = sorted.length;
      series.add(sorted[0], 0.0);
      for (int i = 0; i < n; i++) {
        // Ties collapse into one step to the last rank of the tie.
        if (i + 1 < n && sorted[i + 1] == sorted[i]) {
          continue;
        }
        series.add(sorted[i], (i + 1) / (double) n);
      }
      dataset.addSeries(series);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "latency (ms)", "fraction of invocations ≤ x",
        dataset, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYStepRenderer renderer = new XYStepRenderer();
    styleLines(renderer, dataset.getSeriesCount(), false);
    plot.setRenderer(renderer);
    plot.setDomainAxis(xAxis("latency (ms)", xScale));
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    y.setRange(0.0, 1.02);
    y.setTickUnit(new NumberTickUnit(0.1));
    return chart;
  }

  /**
   * One bar of a {@link #timeline}: a labelled interval in milliseconds from a common origin, drawn in the
   * colour of its {@code kind} (one legend entry per kind, in order of first appearance).
   */
  public record TimelineBar(String label, double startMs, double endMs, String kind) {}

  /**
   * A Gantt-style timeline, one row per bar from top to bottom: how the function executions of one
   * workflow run lay out in time (which overlapped, where the orchestration gaps are).
   */
  public byte[] timeline(String title, List<TimelineBar> bars) {
    if (bars.isEmpty()) {
      throw new IllegalArgumentException("A timeline needs at least one bar");
    }
    Map<String, org.jfree.data.xy.XYIntervalSeries> byKind = new LinkedHashMap<>();
    String[] labels = new String[bars.size()];
    for (int row = 0; row < bars.size(); row++) {
      TimelineBar bar = bars.get(row);
      int y = bars.size() - 1 - row; // first bar on top
      labels[y] = bar.label();
      byKind.computeIfAbsent(bar.kind(), org.jfree.data.xy.XYIntervalSeries::new)
          .add(y, y - 0.35, y + 0.35, bar.startMs(), bar.startMs(), Math.max(bar.endMs(), bar.startMs()));
    }
    org.jfree.data.xy.XYIntervalSeriesCollection dataset = new org.jfree.data.xy.XYIntervalSeriesCollection();
    byKind.values().forEach(dataset::addSeries);
    XYBarRenderer renderer = new XYBarRenderer();
    renderer.setUseYInterval(true);
    renderer.setBarPainter(new StandardXYBarPainter());
    renderer.setShadowVisible(false);
    for (int i = 0; i < dataset.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
    SymbolAxis rows = new SymbolAxis(null, labels);
    rows.setGridBandsVisible(false);
    NumberAxis time = new NumberAxis("time since the run started (ms)");
    XYPlot plot = new XYPlot(dataset, rows, time, renderer);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    return png(style(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true)));
  }

  /**
   * A histogram of one latency sample in milliseconds, with {@link #histogramBins(double[])} equal-width
   * bins between its minimum and maximum; y is the number of invocations per bin.
   */
  public byte[] histogram(String title, String sampleName, double[] sampleMs) {
    double[] values = checkedSample(sampleName, sampleMs, false);
    double min = Arrays.stream(values).min().orElseThrow();
    double max = Arrays.stream(values).max().orElseThrow();
    int bins = histogramBins(values);
    if (min == max) {
      // One value: a single bar of unit-ish width centred on it.
      double half = Math.max(Math.abs(min) * 0.05, 0.5);
      min -= half;
      max += half;
    }
    HistogramDataset dataset = new HistogramDataset();
    dataset.addSeries(legend(sampleName, values.length) + ", " + bins + " bins (Freedman–Diaconis)",
        values, bins, min, max);
    JFreeChart chart = ChartFactory.createHistogram(title, "latency (ms)", "invocations", dataset,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYBarRenderer renderer = (XYBarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardXYBarPainter());
    renderer.setShadowVisible(false);
    renderer.setDrawBarOutline(true);
    renderer.setSeriesPaint(0, PALETTE[0]);
    renderer.setSeriesOutlinePaint(0, Color.WHITE);
    ((NumberAxis) plot.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
    return png(style(chart));
  }

  /**
   * Two or more named latency samples compared (e.g. cold vs warm, or one per configuration): their
   * empirical CDFs overlaid, each with a dashed vertical line at its median. The x axis is logarithmic
   * when every value is positive and the largest median is at least 10 times the smallest (cold starts are
   * often 10-100 times warm latency, which would squash the warm curve against the y axis on a linear
   * axis); otherwise linear.
   *
   * <p>Why overlaid CDFs and not box plots: a CDF shows every invocation, so a bimodal sample (cold starts
   * with and without a cached package) stays visible where a box would average it away; percentiles that
   * budgets check (p50, p95, p99) are read straight off the y axis; and samples of very different sizes
   * (10 cold starts, 1000 warm invocations) compare fairly because y is a fraction. The medians are marked
   * so the headline difference is still one glance.
   *
   * @param samplesMs legend name to sample in milliseconds, at least two, in the map's iteration order
   */
  public byte[] comparison(String title, Map<String, double[]> samplesMs) {
    requireSamples(samplesMs, 2);
    boolean allPositive = true;
    double minMedian = Double.POSITIVE_INFINITY;
    double maxMedian = Double.NEGATIVE_INFINITY;
    Map<String, Double> medians = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : samplesMs.entrySet()) {
      double[] values = checkedSample(e.getKey(), e.getValue(), false);
      allPositive &= Arrays.stream(values).allMatch(v -> v > 0);
      double median = new Percentile().withEstimationType(EstimationType.R_7).evaluate(values, 50);
      medians.put(e.getKey(), median);
      minMedian = Math.min(minMedian, median);
      maxMedian = Math.max(maxMedian, median);
    }
    XScale scale = allPositive && maxMedian >= 10 * minMedian ? XScale.LOG : XScale.LINEAR;
    JFreeChart chart = cdfChart(title, samplesMs, scale);
    XYPlot plot = chart.getXYPlot();
    int i = 0;
    for (Map.Entry<String, Double> median : medians.entrySet()) {
      Color colour = PALETTE[i % PALETTE.length];
      ValueMarker marker = new ValueMarker(median.getValue(), colour,
          new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      marker.setLabel("median " + median.getKey() + " "
          + new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(median.getValue()) + " ms");
      marker.setLabelPaint(colour);
      marker.setLabelBackgroundColor(new Color(255, 255, 255, 200));
      marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      // The largest median's label goes left of its line (it is near the right edge), the others right;
      // labels alternate between top and bottom so close medians do not overlap.
      boolean left = median.getValue() == maxMedian;
      boolean top = i % 2 == 0;
      marker.setLabelAnchor(top ? (left ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT)
          : (left ? RectangleAnchor.BOTTOM_LEFT : RectangleAnchor.BOTTOM_RIGHT));
      marker.setLabelTextAnchor(top ? (left ? TextAnchor.TOP_RIGHT : TextAnchor.TOP_LEFT)
          : (left ? TextAnchor.BOTTOM_RIGHT : TextAnchor.BOTTOM_LEFT));
      plot.addDomainMarker(marker);
      i++;
    }
    return png(style(chart));
  }

  /**
   * Named curves of (x, y) points with their axis labels; each point is marked and joined to the next in
   * increasing x. Use {@link XScale#LOG} for x spanning orders of magnitude (payload or message sizes).
   */
  public byte[] xyLine(String title, String xLabel, String yLabel, List<Series> series, XScale xScale) {
    return xyLine(title, xLabel, yLabel, series, xScale, XScale.LINEAR);
  }

  /**
   * {@link #xyLine(String, String, String, List, XScale)} with a choice of y scale too: a log y axis suits
   * y spanning orders of magnitude (throughput from 1-byte to megabyte messages); every y must then be
   * positive or NaN.
   */
  public byte[] xyLine(String title, String xLabel, String yLabel, List<Series> series, XScale xScale,
      XScale yScale) {
    if (series == null || series.isEmpty()) {
      throw new IllegalArgumentException("xyLine needs at least one series, got none");
    }
    XYSeriesCollection dataset = new XYSeriesCollection();
    Set<String> names = new HashSet<>();
    for (Series s : series) {
      if (s == null) {
        throw new IllegalArgumentException("xyLine got a null series: pass Series(name, x, y) values");
      }
      requireUnique(names, s.name());
      XYSeries xy = new XYSeries(s.name(), true, true);
      double[] x = s.x;
      double[] y = s.y;
      for (int i = 0; i < x.length; i++) {
        checkScales(s.name(), i, x[i], y[i], xScale, yScale);
        xy.add(x[i], Double.isNaN(y[i]) ? null : y[i]);
      }
      dataset.addSeries(xy);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL,
        true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    styleLines(renderer, dataset.getSeriesCount(), true);
    overlapVisibly(plot, renderer, dataset.getSeriesCount());
    plot.setRenderer(renderer);
    plot.setDomainAxis(xAxis(xLabel, xScale));
    plot.setRangeAxis(yAxis(yLabel, yScale));
    return png(style(chart));
  }

  /**
   * A named curve with an interval around each point, for {@link #xyIntervals}: e.g. medians with their
   * confidence intervals. A NaN bound means the point has no interval (too few samples) and gets no bar;
   * a NaN y leaves a gap. Where both bounds are given, {@code lower ≤ upper}.
   */
  public record IntervalSeries(String name, double[] x, double[] y, double[] lower, double[] upper) {
    public IntervalSeries {
      Series points = new Series(name, x, y); // the same checks as a plain curve
      if (lower == null || upper == null || lower.length != x.length || upper.length != x.length) {
        throw new IllegalArgumentException("Series '" + name + "' needs one lower and one upper bound per x ("
            + x.length + "), NaN where a point has no interval");
      }
      for (int i = 0; i < x.length; i++) {
        if (Double.isInfinite(lower[i]) || Double.isInfinite(upper[i]) || lower[i] > upper[i]) {
          throw new IllegalArgumentException("Series '" + name + "' has the interval [" + lower[i] + ", "
              + upper[i] + "] at index " + i + ": bounds must be finite with lower ≤ upper (NaN for none)");
        }
      }
      x = points.x;
      y = points.y;
      lower = lower.clone();
      upper = upper.clone();
    }

    @Override
    public double[] x() {
      return x.clone();
    }

    @Override
    public double[] y() {
      return y.clone();
    }

    @Override
    public double[] lower() {
      return lower.clone();
    }

    @Override
    public double[] upper() {
      return upper.clone();
    }
  }

  /**
   * Named curves like {@link #xyLine}, each point with a vertical error bar from its lower to its upper
   * bound (in the curve's colour); the legend says what the bars are, e.g. "95% CI of the median".
   *
   * @param barsMeaning what the bars show, appended to the y label in parentheses
   */
  public byte[] xyIntervals(String title, String xLabel, String yLabel, String barsMeaning,
      List<IntervalSeries> series, XScale xScale) {
    return xyIntervals(title, xLabel, yLabel, barsMeaning, series, xScale, XScale.LINEAR);
  }

  /**
   * {@link #xyIntervals(String, String, String, String, List, XScale)} with a choice of y scale: a log y axis
   * suits curves an order of magnitude apart (cold and warm medians); every y and bound must then be positive
   * (or NaN).
   */
  public byte[] xyIntervals(String title, String xLabel, String yLabel, String barsMeaning,
      List<IntervalSeries> series, XScale xScale, XScale yScale) {
    if (series == null || series.isEmpty()) {
      throw new IllegalArgumentException("xyIntervals needs at least one series, got none");
    }
    YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
    Set<String> names = new HashSet<>();
    for (IntervalSeries s : series) {
      if (s == null) {
        throw new IllegalArgumentException("xyIntervals got a null series: pass IntervalSeries values");
      }
      requireUnique(names, s.name());
      YIntervalSeries xy = new YIntervalSeries(s.name(), true, true);
      for (int i = 0; i < s.x.length; i++) {
        checkScales(s.name(), i, s.x[i], s.y[i], xScale, yScale);
        checkScales(s.name(), i, s.x[i], s.lower[i], xScale, yScale);
        double y = s.y[i];
        // No interval: a zero-length bar at the point, which the point's marker hides.
        boolean bounded = !Double.isNaN(y) && !Double.isNaN(s.lower[i]) && !Double.isNaN(s.upper[i]);
        xy.add(s.x[i], y, bounded ? s.lower[i] : y, bounded ? s.upper[i] : y);
      }
      dataset.addSeries(xy);
    }
    String yAxisLabel = barsMeaning == null || barsMeaning.isBlank() ? yLabel : yLabel + " (bars: " + barsMeaning + ")";
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yAxisLabel, dataset,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDrawYError(true);
    renderer.setCapLength(8);
    renderer.setErrorStroke(new BasicStroke(1.5f));
    styleLines(renderer, dataset.getSeriesCount(), true);
    for (int i = 0; i < dataset.getSeriesCount(); i++) {
      renderer.setSeriesLinesVisible(i, true);
    }
    overlapVisibly(plot, renderer, dataset.getSeriesCount());
    plot.setRenderer(renderer);
    plot.setDomainAxis(xAxis(xLabel, xScale));
    plot.setRangeAxis(yAxis(yAxisLabel, yScale));
    return png(style(chart));
  }

  /**
   * Named groups side by side (e.g. one per test), each with one point per series (e.g. per platform) and its
   * error bar, the series' points spread across the group's slot so their bars never overlap and no line
   * joins different groups. A series' {@code x} are the indices of {@code groups} it has a value for.
   *
   * @param groups the x axis' labels, in order; at least one, each non-blank
   * @param barsMeaning what the bars show, appended to the y label in parentheses
   */
  public byte[] groupedIntervals(String title, String yLabel, String barsMeaning, List<String> groups,
      List<IntervalSeries> series, XScale yScale) {
    if (groups == null || groups.isEmpty()) {
      throw new IllegalArgumentException("groupedIntervals needs at least one group, got none");
    }
    groups.forEach(g -> requireName(g, "group"));
    if (series == null || series.isEmpty()) {
      throw new IllegalArgumentException("groupedIntervals needs at least one series, got none");
    }
    YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
    Set<String> names = new HashSet<>();
    double slot = 0.6 / series.size(); // the points of one group spread over 60% of the gap between groups
    for (int s = 0; s < series.size(); s++) {
      IntervalSeries one = series.get(s);
      if (one == null) {
        throw new IllegalArgumentException("groupedIntervals got a null series: pass IntervalSeries values");
      }
      requireUnique(names, one.name());
      double offset = (s - (series.size() - 1) / 2.0) * slot;
      YIntervalSeries xy = new YIntervalSeries(one.name(), true, true);
      for (int i = 0; i < one.x.length; i++) {
        double group = one.x[i];
        if (group != Math.rint(group) || group < 0 || group >= groups.size()) {
          throw new IllegalArgumentException("Series '" + one.name() + "' has x = " + group + " at index " + i
              + ": x must be the index of one of the " + groups.size() + " groups");
        }
        checkScales(one.name(), i, 1, one.y[i], XScale.LINEAR, yScale);
        checkScales(one.name(), i, 1, one.lower[i], XScale.LINEAR, yScale);
        double y = one.y[i];
        if (Double.isNaN(y)) {
          continue;
        }
        boolean bounded = !Double.isNaN(one.lower[i]) && !Double.isNaN(one.upper[i]);
        xy.add(group + offset, y, bounded ? one.lower[i] : y, bounded ? one.upper[i] : y);
      }
      dataset.addSeries(xy);
    }
    String yAxisLabel = barsMeaning == null || barsMeaning.isBlank() ? yLabel : yLabel + " (bars: " + barsMeaning + ")";
    JFreeChart chart = ChartFactory.createXYLineChart(title, null, yAxisLabel, dataset, PlotOrientation.VERTICAL,
        true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDrawYError(true);
    renderer.setCapLength(8);
    renderer.setErrorStroke(new BasicStroke(1.5f));
    styleLines(renderer, dataset.getSeriesCount(), true);
    for (int i = 0; i < dataset.getSeriesCount(); i++) {
      renderer.setSeriesLinesVisible(i, false);
    }
    plot.setRenderer(renderer);
    SymbolAxis axis = new SymbolAxis(null, groups.toArray(String[]::new));
    axis.setRange(-0.5, groups.size() - 0.5);
    axis.setGridBandsVisible(false);
    axis.setVerticalTickLabels(groups.size() > 3);
    plot.setDomainAxis(axis);
    plot.setRangeAxis(yAxis(yAxisLabel, yScale));
    return png(style(chart));
  }

  private static void requireUnique(Set<String> names, String name) {
    if (!names.add(name)) {
      throw new IllegalArgumentException("Two series are named '" + name + "': give each curve its own name");
    }
  }

  private static void checkScales(String name, int i, double x, double y, XScale xScale, XScale yScale) {
    if (xScale == XScale.LOG && !(x > 0)) {
      throw new IllegalArgumentException("Series '" + name + "' has x = " + x + " at index " + i
          + ": a log x axis needs positive x values; use XScale.LINEAR");
    }
    if (yScale == XScale.LOG && !Double.isNaN(y) && !(y > 0)) {
      throw new IllegalArgumentException("Series '" + name + "' has y = " + y + " at index " + i
          + ": a log y axis needs positive y values (NaN for a gap); use XScale.LINEAR");
    }
  }

  private static ValueAxis yAxis(String label, XScale scale) {
    if (scale == XScale.LOG) {
      LogarithmicAxis axis = new LogarithmicAxis(label + " (log scale)");
      axis.setStrictValuesFlag(true);
      return axis;
    }
    NumberAxis axis = new NumberAxis(label);
    axis.setAutoRangeIncludesZero(false);
    return axis;
  }

  /**
   * Number of histogram bins by the Freedman–Diaconis rule: bin width h = 2 · IQR · n^(-1/3) and
   * ⌈(max − min) / h⌉ bins, with the quartiles interpolated linearly (numpy's default, so the count equals
   * {@code numpy.histogram_bin_edges(x, bins="fd")}). The rule is robust to the long right tail of latency
   * samples, where Sturges' rule under-bins and a rule based on the standard deviation over-widens bins.
   * When the IQR is 0 (more than half the values equal) Sturges' ⌈log2 n⌉ + 1 is used instead; all values
   * equal give 1 bin. The result is capped at {@link #MAX_BINS}.
   */
  public static int histogramBins(double[] sample) {
    double[] values = checkedSample("sample", sample, false);
    int n = values.length;
    double min = Arrays.stream(values).min().orElseThrow();
    double max = Arrays.stream(values).max().orElseThrow();
    if (max == min) {
      return 1;
    }
    Percentile percentile = new Percentile().withEstimationType(EstimationType.R_7);
    percentile.setData(values);
    double iqr = percentile.evaluate(75) - percentile.evaluate(25);
    int bins = iqr > 0 ? (int) Math.ceil((max - min) / (2 * iqr * Math.cbrt(1.0 / n)))
        : (int) Math.ceil(Math.log(n) / Math.log(2)) + 1;
    return Math.max(1, Math.min(MAX_BINS, bins));
  }

  private static ValueAxis xAxis(String label, XScale scale) {
    if (scale == XScale.LOG) {
      // Ticks at 1-9 x 10^k, labelled with plain numbers (1, 2, 3, 5, 10, 20, ...), not exponents.
      LogarithmicAxis axis = new LogarithmicAxis(label + " (log scale)");
      axis.setStrictValuesFlag(true);
      return axis;
    }
    NumberAxis axis = new NumberAxis(label);
    axis.setAutoRangeIncludesZero(false);
    return axis;
  }

  /**
   * Curves that coincide (one per instance count, all warm) must all stay visible: the first series is drawn
   * first and widest, each later one narrower on top, so equal curves show as nested bands of colour.
   */
  private static void overlapVisibly(XYPlot plot, XYLineAndShapeRenderer renderer, int count) {
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
    for (int i = 0; i < count; i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f + 2.5f * Math.min(count - 1 - i, 2)));
    }
  }

  private static void styleLines(XYLineAndShapeRenderer renderer, int count, boolean shapes) {
    for (int i = 0; i < count; i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
      renderer.setSeriesShapesVisible(i, shapes);
    }
  }

  private static JFreeChart style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    if (chart.getTitle() != null) {
      chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    }
    var plot = chart.getPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(Color.LIGHT_GRAY);
    if (plot instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(new Color(0xdddddd));
      xy.setRangeGridlinePaint(new Color(0xdddddd));
    }
    return chart;
  }

  private byte[] png(JFreeChart chart) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
      // Opaque RGB: no alpha channel to encode (smaller, faster); the background is white anyway.
      ImageIO.write(chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null), "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode the chart '" + chart.getTitle() + "' as PNG", e);
    }
  }

  private static void requireSamples(Map<String, double[]> samples, int atLeast) {
    if (samples == null || samples.size() < atLeast) {
      throw new IllegalArgumentException("Need at least " + atLeast + " named sample" + (atLeast > 1 ? "s" : "")
          + ", got " + (samples == null ? "none" : samples.size()));
    }
  }

  private static double[] checkedSample(String name, double[] sample, boolean positive) {
    requireName(name, "sample");
    if (sample == null || sample.length == 0) {
      throw new IllegalArgumentException("Sample '" + name + "' is empty: a chart needs at least one value"
          + " (were all invocations failed or filtered out?)");
    }
    for (int i = 0; i < sample.length; i++) {
      if (!Double.isFinite(sample[i])) {
        throw new IllegalArgumentException("Sample '" + name + "' has " + sample[i] + " at index " + i
            + ": latencies must be finite numbers of milliseconds (chart successful invocations only)");
      }
      if (positive && !(sample[i] > 0)) {
        throw new IllegalArgumentException("Sample '" + name + "' has " + sample[i] + " at index " + i
            + ": a log x axis needs positive values; use XScale.LINEAR");
      }
    }
    return sample.clone();
  }

  private static void requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("Every " + what + " needs a non-blank name (it is the legend)");
    }
  }

  private static String legend(String name, int n) {
    return name + " (n=" + n + ")";
  }
}
