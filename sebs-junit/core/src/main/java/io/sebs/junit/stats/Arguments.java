package io.sebs.junit.stats;

import java.util.Objects;

/** Argument checks shared by the package, so every entry point words its errors the same way. */
final class Arguments {

  private Arguments() {}

  /** Rejects a confidence level outside the open interval (0, 1), naming the bad value. */
  static double requireConfidence(double confidence) {
    if (!(confidence > 0.0 && confidence < 1.0)) {
      throw new IllegalArgumentException(
          "confidence must be in (0, 1), e.g. 0.95, but was " + confidence);
    }
    return confidence;
  }

  /** Rejects a null sample or one holding NaN or an infinity, naming the first bad position. */
  static double[] requireFiniteSample(double[] sample) {
    Objects.requireNonNull(sample, "sample");
    for (int i = 0; i < sample.length; i++) {
      if (!Double.isFinite(sample[i])) {
        throw new IllegalArgumentException(
            "sample values must be finite, but value [" + i + "] was " + sample[i]);
      }
    }
    return sample;
  }
}
