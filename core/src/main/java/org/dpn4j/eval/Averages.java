package org.dpn4j.eval;

/** Means over the defined values of a per-class metric (DESIGN.md section 4: undefined = null). */
final class Averages {

  private Averages() {}

  /** The mean of the non-null values, or null when there is none. */
  static Double meanOfDefined(Iterable<Double> values) {
    double sum = 0;
    int n = 0;
    for (Double v : values) {
      if (v != null) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }
}
