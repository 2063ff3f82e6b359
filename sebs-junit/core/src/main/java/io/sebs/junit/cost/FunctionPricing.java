package io.sebs.junit.cost;

import io.sebs.junit.Invocation;
import java.util.List;

/** A {@link CostModel} applied to one function's configured memory: bills its invocations and series. */
public record FunctionPricing(CostModel model, int memoryMb) {

  /** The bill of one invocation. */
  public Billing bill(Invocation invocation) {
    return model.bill(invocation, memoryMb);
  }

  /**
   * The cost of a series: total, mean per invocation and per one million invocations, over the given
   * invocations (callers pass the successful ones, as for time statistics).
   */
  public CostSummary summarize(List<? extends Invocation> invocations) {
    double total = 0;
    int estimated = 0;
    for (Invocation i : invocations) {
      Billing b = bill(i);
      total += b.costUsd();
      estimated += b.estimated() ? 1 : 0;
    }
    int n = invocations.size();
    double perInvocation = n == 0 ? Double.NaN : total / n;
    return new CostSummary(model.prices(), memoryMb, n, estimated, total, perInvocation, perInvocation * 1e6);
  }
}
