package org.dpn4j.train;

/**
 * The poly learning-rate schedule of DESIGN.md section 3: {@code lr(it) = base * (1 - it/max)^power},
 * power 0.9 by default; 0 from {@code it = max} on.
 */
public record PolySchedule(double base, long maxIterations, double power) {

  public static final double DEFAULT_POWER = 0.9;

  public PolySchedule {
    if (!(base > 0) || Double.isInfinite(base)) {
      throw new IllegalArgumentException("base learning rate must be positive and finite, got " + base);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maximum iterations must be positive, got " + maxIterations);
    }
    if (!(power >= 0) || Double.isInfinite(power)) {
      throw new IllegalArgumentException("poly power must be finite and >= 0, got " + power);
    }
  }

  public PolySchedule(double base, long maxIterations) {
    this(base, maxIterations, DEFAULT_POWER);
  }

  /** The learning rate of iteration {@code it} (0-based). */
  public double lr(long it) {
    if (it < 0) {
      throw new IllegalArgumentException("iteration must be >= 0, got " + it);
    }
    return it >= maxIterations ? 0 : base * Math.pow(1 - (double) it / maxIterations, power);
  }
}
