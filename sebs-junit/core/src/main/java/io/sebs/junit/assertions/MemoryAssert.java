package io.sebs.junit.assertions;

import io.sebs.junit.Measurements;
import io.sebs.junit.stats.SampleStatistics;
import java.util.Locale;
import org.assertj.core.api.AbstractAssert;

/**
 * Memory budgets in MB on {@link Measurements}, from {@link MeasurementsAssert#memoryUsed()}: choose a
 * statistic of the memory used per invocation (each the serving instance's peak so far, see
 * {@link io.sebs.junit.Invocation#memoryUsed()}) and compare it.
 *
 * <pre>{@code
 * assertThat(m).memoryUsed().max().isLessThan(100);
 * }</pre>
 *
 * <p>Fails with a message naming the platform when it measured no memory.
 */
public final class MemoryAssert extends AbstractAssert<MemoryAssert, Measurements> {

  private final MeasurementsAssert parent;

  MemoryAssert(Measurements actual, MeasurementsAssert parent) {
    super(actual, MemoryAssert.class);
    this.parent = parent;
  }

  /** The median memory used, MB. */
  public MegabytesAssert median() {
    SampleStatistics s = sample();
    return Messages.inherit(new MegabytesAssert(s.median(), "median memory used", context(s), parent), this);
  }

  /** The largest memory used, MB: the peak of the busiest instance. */
  public MegabytesAssert max() {
    SampleStatistics s = sample();
    return Messages.inherit(new MegabytesAssert(s.max(), "max memory used", context(s), parent), this);
  }

  /** A percentile in (0, 100] of the memory used, MB. */
  public MegabytesAssert percentile(double p) {
    SampleStatistics s = sample();
    return Messages.inherit(new MegabytesAssert(s.percentile(p),
        "p" + (p == Math.rint(p) ? Integer.toString((int) p) : Double.toString(p)) + " memory used", context(s),
        parent), this);
  }

  /** Back to the measurements. */
  public MeasurementsAssert and() {
    return parent;
  }

  private SampleStatistics sample() {
    isNotNull();
    SampleStatistics s = actual.memoryUsed();
    if (s.count() == 0) {
      failWithMessage("%s", "Expected memory used but none of the " + actual.successful().size()
          + " successful invocations on " + Messages.where(actual) + " reported it (aws reports it in the REPORT "
          + "line, docker needs the containers' memory cgroups visible on this host, local needs Linux's /proc)");
    }
    return s;
  }

  private String context(SampleStatistics s) {
    return String.format(Locale.ROOT, "n = %d invocations on %s; min %.1f MB, median %.1f MB, max %.1f MB",
        s.count(), Messages.where(actual), s.min(), s.median(), s.max());
  }

  /** A budget in MB on one memory figure. */
  public static final class MegabytesAssert extends AbstractAssert<MegabytesAssert, Double> {

    private final String label;
    private final String context;
    private final MeasurementsAssert parent;

    MegabytesAssert(double mb, String label, String context, MeasurementsAssert parent) {
      super(mb, MegabytesAssert.class);
      this.label = label;
      this.context = context;
      this.parent = parent;
    }

    /** Verifies that the figure is strictly below {@code maximumMb}. */
    public MegabytesAssert isLessThan(double maximumMb) {
      return check("<", maximumMb, actual < maximumMb);
    }

    /** Verifies that the figure is strictly above {@code minimumMb}. */
    public MegabytesAssert isGreaterThan(double minimumMb) {
      return check(">", minimumMb, actual > minimumMb);
    }

    /** Back to the measurements. */
    public MeasurementsAssert and() {
      return parent;
    }

    private MegabytesAssert check(String operator, double bound, boolean holds) {
      if (!(bound >= 0) || Double.isInfinite(bound)) {
        throw new IllegalArgumentException(label + " budget must be a finite number of MB >= 0 but was " + bound);
      }
      if (!holds) {
        failWithMessage("%s", String.format(Locale.ROOT, "Expected %s %s %.1f MB but was %.1f MB (%s)", label,
            operator, bound, actual, context));
      }
      return this;
    }
  }
}
